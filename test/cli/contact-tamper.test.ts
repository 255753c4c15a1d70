import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { dialects, installation, type Installation } from '../support/cli.js'
import { tamper } from '../support/tamper.js'

const AT = '2026-12-01T18:00:00Z' // a Tuesday, 13:00 in Miami
const STALE = '+13052000201' // contact data verified 2026-01-10: stale for marketing (180 days) by the call
const REDATED = '+13052000202' // verified 2026-01-11 (also stale), and its verification date is moved behind Dialward
const CLEAN = '+13052000203' // no contact record: a manual marketing call to it is allowed

/** Marketing data goes stale after 180 days; the quarantine keeps invalid rows. */
const SCHEMA = { purposes: { marketing: { fields: ['first_name', 'zip'], staleAfter: { days: 180 } } } }


/**
 * Issue 13 over contact data (issue 11): the gate answers DATA_STALE from a number's contact
 * record, so deleting that row or moving its verification date behind Dialward must be caught —
 * by `audit verify` (exit 3) and by the gate, which refuses rather than answer `allow`.
 */
describe.each(dialects())('contact data changed behind Dialward (%s)', (dialect) => {
  let dw: Installation
  const check = (phone: string) => dw.run('check', '--campaign', 'mkt', '--phone', phone, '--at', AT, '--json')
  const decision = async (phone: string): Promise<{ verdict: string; reasons: Array<{ code: string }> }> => {
    const c = await check(phone)
    expect(c.code, c.stderr).toBe(0)
    return JSON.parse(c.stdout) as { verdict: string; reasons: Array<{ code: string }> }
  }

  beforeAll(async () => {
    dw = await installation(dialect)
    mkdirSync(dw.dataDir, { recursive: true })
    writeFileSync(join(dw.dataDir, 'data-schema.json'), JSON.stringify(SCHEMA))
    await dw.ok('campaign', 'add', '--id', 'mkt', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'manual')
    const registry = join(dw.dataDir, '..', 'us-national.txt')
    writeFileSync(registry, '3052000299\n')
    await dw.ok('registry', 'import', '--registry', 'us-national', '--file', registry, '--as-of', '2026-11-20')
    const leads = join(dw.dataDir, '..', 'leads.csv')
    writeFileSync(leads, `phone,first_name,zip,verified_at\n${STALE},Ann,33101,2026-01-10\n${REDATED},Bo,33102,2026-01-11\n12,Bad,33103,2026-01-10\n`)
    await dw.ok('contacts', 'import', '--file', leads, '--purpose', 'marketing')
    await dw.ok('audit', 'proof', '--entry', '0') // a signed checkpoint
    // the stale numbers are blocked for DATA_STALE and nothing else; a number without data is allowed
    for (const p of [STALE, REDATED]) {
      const d = await decision(p)
      expect(d.verdict).toBe('block')
      expect(d.reasons.map((r) => r.code)).toEqual(['DATA_STALE'])
    }
    expect((await decision(CLEAN)).verdict).toBe('allow')
    const verify = await dw.run('audit', 'verify')
    expect(verify.code, verify.stderr).toBe(0)
  }, 300_000)

  afterAll(async () => {
    await dw?.dispose()
  })

  /** Tampers, expects verify (and, for a number, check and evidence) to refuse, then restores the store. */
  async function expectCaught(what: RegExp, phone: string | null, apply: string[], restore: string[]): Promise<void> {
    await tamper(dw, ...apply)
    try {
      const verify = await dw.run('audit', 'verify')
      expect(verify.code, verify.stdout).toBe(3)
      expect(verify.stderr).toMatch(what)
      expect(verify.stderr.trim().split('\n')).toHaveLength(1)
      if (phone !== null) {
        const c = await check(phone)
        expect(c.stdout).not.toMatch(/"allow"/)
        expect(c.code, c.stderr).toBe(3)
        expect(c.stderr).toMatch(/do not match the audit log/)
        const e = await dw.run('evidence', '--phone', phone, '--json')
        expect(e.code, e.stdout).toBe(3)
        expect(e.stdout).toBe('')
      }
    } finally {
      await tamper(dw, ...restore)
    }
    expect((await dw.run('audit', 'verify')).code).toBe(0)
    if (phone !== null) expect((await decision(phone)).reasons.map((r) => r.code)).toEqual(['DATA_STALE'])
  }

  const dayMs = (d: string): number => Date.parse(`${d}T00:00:00Z`)
  /** A number's contact row, found by its verification date (the database holds no number in the clear). */
  const verifiedOn = (day: string) => `verified_at = ${dayMs(day)}`

  it('a contact row deleted from the table', async () => {
    await expectCaught(/contacts/, STALE, [`CREATE TABLE bak_ct AS SELECT * FROM contacts WHERE ${verifiedOn('2026-01-10')}`, `DELETE FROM contacts WHERE id IN (SELECT id FROM bak_ct)`], ['INSERT INTO contacts SELECT * FROM bak_ct', 'DROP TABLE bak_ct'])
  }, 120_000)

  it("a contact's verification date moved forward (the data looks fresh)", async () => {
    await expectCaught(
      /contacts/,
      REDATED,
      [`CREATE TABLE bak_ct2 AS SELECT * FROM contacts WHERE ${verifiedOn('2026-01-11')}`, `UPDATE contacts SET verified_at = ${dayMs('2026-11-30')} WHERE id IN (SELECT id FROM bak_ct2)`],
      [`UPDATE contacts SET verified_at = ${dayMs('2026-01-11')} WHERE id IN (SELECT id FROM bak_ct2)`, 'DROP TABLE bak_ct2'],
    )
  }, 120_000)

  it('a quarantined row deleted from the table', async () => {
    await expectCaught(/contact_quarantine/, null, ['CREATE TABLE bak_q AS SELECT * FROM contact_quarantine', 'DELETE FROM contact_quarantine'], ['INSERT INTO contact_quarantine SELECT * FROM bak_q', 'DROP TABLE bak_q'])
  }, 120_000)
})
