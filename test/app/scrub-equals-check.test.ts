import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { resolveConfig } from '../../src/app/config.js'
import { openApp, type App } from '../../src/app/open-app.js'
import { addCampaign } from '../../src/app/commands/campaign-add.js'
import { grantConsent, revokeConsent } from '../../src/app/commands/consent.js'
import { addDnc } from '../../src/app/commands/dnc-add.js'
import { recordCall } from '../../src/app/commands/calls-record.js'
import { importRegistry } from '../../src/app/commands/registry-import.js'
import { check } from '../../src/app/commands/check.js'
import { scrub } from '../../src/app/commands/scrub.js'

/** A seeded generator (xorshift32): the same list on every run. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1
  return () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) / 4294967296
  }
}

const AREA_CODES = ['305', '850', '416', '212', '602', '808', '709', '401', '205', '504', '208', '915', '800', '876']
const STATES = ['', '', '', 'FL', 'CA', 'TX', 'ON', 'AZ']
const INSTANTS = ['2026-12-01T18:00:00Z', '2026-12-02T01:30:00Z', '2026-12-06T17:00:00Z', '2026-12-25T15:00:00Z']

/**
 * Scrub caches decisions for numbers without a gate record and shares one session across rows;
 * this checks, in process, that every row of a varied list (many area codes, split zones, Canada,
 * toll-free, address states, numbers with consents, revocations, do-not-call entries, calls, and
 * registry listings) gets exactly the verdict, reasons and next allowed time `check` gives.
 */
describe('every scrub row equals check (in process, seeded)', () => {
  let app: App
  let dir: string
  const phones: string[] = []

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dialward-scrub-eq-'))
    app = await openApp(resolveConfig({ data: join(dir, 'data') }, { ...process.env, DIALWARD_DATABASE_URL: '', DIALWARD_RULE_PACK: '' }), 'create')
    await addCampaign(app, { id: 'm', seller: 'Acme', purpose: 'marketing', dialing: 'autodialed' })
    await addCampaign(app, { id: 'x', seller: 'Acme', purpose: 'marketing', dialing: 'manual' })
    const next = rng(20261128)
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!
    const listed: string[] = []
    for (let i = 0; i < 240; i++) {
      const npa = pick(AREA_CODES)
      const raw = 200 + Math.floor(next() * 700)
      const nxx = raw % 100 === 11 ? raw + 1 : raw // N11 exchanges are service codes, not numbers
      const phone = `+1${npa}${nxx}${String(Math.floor(next() * 10_000)).padStart(4, '0')}`
      phones.push(phone)
      const r = next()
      if (r < 0.25) await grantConsent(app, { phone, seller: 'Acme', kind: pick(['written', 'express', 'ebr-purchase', 'ebr-inquiry']), at: '2026-06-01' })
      if (r > 0.2 && r < 0.3) await revokeConsent(app, { phone, at: '2026-11-01' })
      if (r > 0.28 && r < 0.35) await addDnc(app, { phone, at: '2026-10-01', seller: 'Acme' })
      if (r > 0.33 && r < 0.4) for (let k = 0; k < 3; k++) await recordCall(app, { phone, campaign: 'x', at: `2026-12-01T1${k}:00:00Z`, outcome: 'no-answer' })
      if (next() < 0.3 && npa !== '800' && npa !== '876') listed.push(`${npa},${phone.slice(5)}`)
    }
    phones.push('not-a-number', '+1 305 100 0000')
    writeFileSync(join(dir, 'us.txt'), `${listed.filter((l) => !l.startsWith('416') && !l.startsWith('709')).join('\n')}\n`)
    writeFileSync(join(dir, 'ca.txt'), `${listed.filter((l) => l.startsWith('416') || l.startsWith('709')).join('\n')}\n`)
    await importRegistry(app, { registry: 'us-national', file: join(dir, 'us.txt'), asOf: '2026-11-25' })
    await importRegistry(app, { registry: 'ca-national', file: join(dir, 'ca.txt'), asOf: '2026-11-25' })
    const csv = ['phone,state', ...phones.map((p, i) => `${p},${STATES[i % STATES.length]}`)].join('\n')
    writeFileSync(join(dir, 'in.csv'), `${csv}\n`)
  }, 300_000)

  afterAll(async () => {
    await app?.close()
  })

  it.each(INSTANTS.flatMap((at) => [['m', at], ['x', at]]))('campaign %s at %s', async (campaign, at) => {
    const out = join(dir, `out-${campaign}-${at.replace(/:/g, '')}.csv`)
    const summary = await scrub(app, { campaign, in: join(dir, 'in.csv'), out, at, stateColumn: 'state' })
    expect(summary.rows).toBe(phones.length)
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[]
    const verdicts = new Set<string>()
    for (const row of rows) {
      const c = await check(app, { campaign, phone: row['phone'], at, state: row['state'] })
      const label = `${row['phone']} state=${row['state']}`
      expect(row['dialward_phone'], label).toBe(c.phone ?? '')
      expect(row['dialward_verdict'], label).toBe(c.verdict)
      expect(row['dialward_reasons'], label).toBe(c.reasons.map((r) => r.code).join(';'))
      expect(row['dialward_next_allowed_at'], label).toBe(c.nextAllowedAt ?? '')
      verdicts.add(`${c.verdict}:${c.reasons.map((r) => r.code).join(';')}`)
    }
    // the list exercises many different outcomes, not one
    expect(verdicts.size).toBeGreaterThan(3)
  })
})
