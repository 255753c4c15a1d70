import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { dialects, installation, type Installation } from '../support/cli.js'
import { tamper } from '../support/tamper.js'

const AT = '2026-12-01T18:00:00Z' // a Tuesday, 13:00 in Miami
const DNC = '+13052000101' // written consent, then a DNC request
const REVOKED = '+13052000102' // written consent, then revoked
const REDATED = '+13052000103' // written consent, then revoked (the revocation's date is moved)
const LISTED = '+13052000104' // on the national registry, no consent (manual marketing call)


/** The issue 13 finding: rows deleted or edited behind Dialward's back went unnoticed. */
describe.each(dialects())('rows changed behind Dialward (%s)', (dialect) => {
  let dw: Installation
  const check = (campaign: string, phone: string) => dw.run('check', '--campaign', campaign, '--phone', phone, '--at', AT, '--json')
  const verdict = async (campaign: string, phone: string): Promise<string> => (JSON.parse((await check(campaign, phone)).stdout) as { verdict: string }).verdict

  beforeAll(async () => {
    dw = await installation(dialect)
    await dw.ok('campaign', 'add', '--id', 'mkt-auto', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'autodialed')
    await dw.ok('campaign', 'add', '--id', 'mkt-manual', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'manual')
    const registry = join(dw.dataDir, '..', 'us-national.txt')
    writeFileSync(registry, `${LISTED.slice(2, 5)},${LISTED.slice(5)}\n3052000199\n`)
    await dw.ok('registry', 'import', '--registry', 'us-national', '--file', registry, '--as-of', '2026-11-20')
    for (const p of [DNC, REVOKED, REDATED]) await dw.ok('consent', 'grant', '--phone', p, '--seller', 'Acme', '--kind', 'written', '--at', '2026-10-01')
    await dw.ok('dnc', 'add', '--phone', DNC, '--at', '2026-11-11')
    await dw.ok('consent', 'revoke', '--phone', REVOKED, '--at', '2026-11-12', '--via', 'sms', '--words', 'STOP')
    await dw.ok('consent', 'revoke', '--phone', REDATED, '--at', '2026-11-13', '--via', 'sms', '--words', 'STOP')
    await dw.ok('audit', 'proof', '--entry', '0') // a signed checkpoint
    // every one of them is blocked, and the untouched store verifies
    for (const p of [DNC, REVOKED, REDATED]) expect(await verdict('mkt-auto', p)).toBe('block')
    expect(await verdict('mkt-manual', LISTED)).toBe('block')
    expect((await dw.run('audit', 'verify')).code).toBe(0)
  }, 300_000)

  afterAll(async () => {
    await dw?.dispose()
  })

  /**
   * Tampers, expects verify, check and evidence to refuse, then restores the store (verifies again
   * and blocks again). Registry pages are no part of a number's evidence package.
   */
  async function expectCaught(what: RegExp, campaign: string, phone: string, apply: string[], restore: string[], evidence = true): Promise<void> {
    await tamper(dw, ...apply)
    try {
      const verify = await dw.run('audit', 'verify')
      expect(verify.code, verify.stdout).toBe(3)
      expect(verify.stderr).toMatch(what)
      expect(verify.stderr.trim().split('\n')).toHaveLength(1)
      const c = await check(campaign, phone)
      expect(c.stdout).not.toMatch(/"allow"/)
      expect(c.code, c.stderr).toBe(3)
      expect(c.stderr).toMatch(/do not match the audit log/)
      // a bulk scrub reads the same rows: it refuses too, and writes no list
      const leads = join(dw.dataDir, '..', 'leads.csv')
      const out = join(dw.dataDir, '..', 'scrubbed.csv')
      writeFileSync(leads, `phone\n${phone}\n`)
      const s = await dw.run('scrub', '--campaign', campaign, '--in', leads, '--out', out, '--at', AT)
      expect(s.code, s.stderr).toBe(3)
      expect(s.stderr).toMatch(/do not match the audit log/)
      expect(existsSync(out)).toBe(false)
      if (evidence) {
        // the number's evidence package is refused, not signed without the rows
        const e = await dw.run('evidence', '--phone', phone, '--json')
        expect(e.code, e.stdout).toBe(3)
        expect(e.stdout).toBe('')
      }
    } finally {
      await tamper(dw, ...restore)
    }
    expect((await dw.run('audit', 'verify')).code).toBe(0)
    expect(await verdict(campaign, phone)).toBe('block')
  }

  const dayMs = (d: string): number => Date.parse(`${d}T00:00:00Z`)

  it('a DNC entry deleted from the table', async () => {
    const where = `at = ${dayMs('2026-11-11')}`
    await expectCaught(/dnc_entries/, 'mkt-auto', DNC, [`CREATE TABLE bak_dnc AS SELECT * FROM dnc_entries WHERE ${where}`, `DELETE FROM dnc_entries WHERE ${where}`], ['INSERT INTO dnc_entries SELECT * FROM bak_dnc', 'DROP TABLE bak_dnc'])
  }, 120_000)

  it('a revocation deleted from the table', async () => {
    const where = `type = 'revoke' AND at = ${dayMs('2026-11-12')}`
    await expectCaught(/consent_events/, 'mkt-auto', REVOKED, [`CREATE TABLE bak_rev AS SELECT * FROM consent_events WHERE ${where}`, `DELETE FROM consent_events WHERE ${where}`], ['INSERT INTO consent_events SELECT * FROM bak_rev', 'DROP TABLE bak_rev'])
  }, 120_000)

  it("a revocation's date moved past the call", async () => {
    const from = dayMs('2026-11-13')
    const to = dayMs('2027-06-01')
    await expectCaught(/consent_events/, 'mkt-auto', REDATED, [`UPDATE consent_events SET at = ${to} WHERE type = 'revoke' AND at = ${from}`], [`UPDATE consent_events SET at = ${from} WHERE type = 'revoke' AND at = ${to}`])
  }, 120_000)

  it('a DNC row inserted that no audited write recorded', async () => {
    const cols = 'subject_id, seller, seller_key, at, source_ct, recorded_at'
    await expectCaught(/dnc_entries row forged-/, 'mkt-auto', DNC, [`INSERT INTO dnc_entries (id, ${cols}) SELECT 'forged-' || id, ${cols} FROM dnc_entries WHERE at = ${dayMs('2026-11-11')}`], ["DELETE FROM dnc_entries WHERE id LIKE 'forged-%'"])
  }, 120_000)

  it('a registry page deleted from the table', async () => {
    await expectCaught(/registry/, 'mkt-manual', LISTED, ['CREATE TABLE bak_pages AS SELECT * FROM registry_pages', 'DELETE FROM registry_pages'], ['INSERT INTO registry_pages SELECT * FROM bak_pages', 'DROP TABLE bak_pages'], false)
  }, 120_000)
})
