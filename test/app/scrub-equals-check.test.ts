import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { loadConfig } from '../../src/app/config.js'
import { compose, type Services } from '../../src/app/compose.js'
import { requestContext } from '../../src/app/context.js'
import { addressHint, requireInstant, requirePhone } from '../../src/app/input.js'
import { parseRegistryId } from '../../src/core/dnc/registry-id.js'
import type { ConsentKind } from '../../src/core/consent/consent-event.js'
import { tempDir as testTempDir } from '../support/temp-dir.js'
import { inputSource } from '../../src/app/files/input-source.js'
import { outputTarget } from '../../src/app/files/output-target.js'

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
// address columns as users' files hold them: blank, either case, padded (the scan reads two
// letters and five digits itself and leaves anything else to the slow path; both must agree)
const STATES = ['', '', '', 'FL', 'CA', 'TX', 'ON', 'AZ', 'fl', ' TX', 'Qc', 'ny', 'HI']
const ZIPS = ['', '33101', '', '90210-1234', ' 10001', '02903']
const INSTANTS = ['2026-12-01T18:00:00Z', '2026-12-02T01:30:00Z', '2026-12-06T17:00:00Z', '2026-12-25T15:00:00Z']

/**
 * Scrub caches decisions for numbers without a gate record and shares one session across rows;
 * this checks, in process, that every row of a varied list (many area codes, split zones, Canada,
 * toll-free, address states, numbers with consents, revocations, do-not-call entries, calls, and
 * registry listings) gets exactly the verdict, reasons and next allowed time `check` gives.
 */
describe('every scrub row equals check (in process, seeded)', () => {
  let app: Services
  const ctx = requestContext('test', 'admin')
  let dir: string
  const phones: string[] = []

  beforeAll(async () => {
    dir = testTempDir('scrub-eq')
    app = await compose(loadConfig({ data: join(dir, 'data') }, { ...process.env, DIALWARD_DATABASE_URL: '', DIALWARD_RULE_PACK: '' }), 'create')
    await app.campaigns.add(ctx, { id: 'm', seller: 'Acme', purpose: 'marketing', dialing: 'autodialed', channel: 'voice' })
    await app.campaigns.add(ctx, { id: 'x', seller: 'Acme', purpose: 'marketing', dialing: 'manual', channel: 'voice' })
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
      const p = requirePhone('phone', phone)
      const grant = { seller: 'Acme', channel: 'any', disclosure: null, source: null, ip: null, userAgent: null } as const
      if (r < 0.25) await app.consent.grant(ctx, { ...grant, phone: p, kind: pick<ConsentKind>(['written', 'express', 'ebr-purchase', 'ebr-inquiry']), at: requireInstant('at', '2026-06-01') })
      if (r > 0.2 && r < 0.3) await app.consent.revoke(ctx, { phone: p, at: requireInstant('at', '2026-11-01'), seller: null, via: null, words: null })
      if (r > 0.28 && r < 0.35) await app.dnc.add(ctx, { phone: p, at: requireInstant('at', '2026-10-01'), seller: 'Acme', source: null })
      if (r > 0.33 && r < 0.4) for (let k = 0; k < 3; k++) await app.calls.record(ctx, { phone: p, campaign: 'x', at: requireInstant('at', `2026-12-01T1${k}:00:00Z`), outcome: 'no-answer', durationSeconds: null })
      if (next() < 0.3 && npa !== '800' && npa !== '876') listed.push(`${npa},${phone.slice(5)}`)
    }
    phones.push('not-a-number', '+1 305 100 0000')
    writeFileSync(join(dir, 'us.txt'), `${listed.filter((l) => !l.startsWith('416') && !l.startsWith('709')).join('\n')}\n`)
    writeFileSync(join(dir, 'ca.txt'), `${listed.filter((l) => l.startsWith('416') || l.startsWith('709')).join('\n')}\n`)
    await app.registry.import(ctx, { registry: parseRegistryId('us-national')!, file: join(dir, 'us.txt'), asOf: requireInstant('asOf', '2026-11-25'), skipInvalid: false })
    await app.registry.import(ctx, { registry: parseRegistryId('ca-national')!, file: join(dir, 'ca.txt'), asOf: requireInstant('asOf', '2026-11-25'), skipInvalid: false })
    // every fast-path row goes through the batch loop (the record filter, registry bits, cached
    // outcomes); repeated so that the file is large beside the records and the scrub decrypts
    // them instead of taking every row's blind index
    const repeated = Array.from({ length: 15 }, () => phones).flat()
    // each number with three different addresses across the repeats (each distinct row is checked)
    const address = (i: number): number => (i % phones.length) + (Math.floor(i / phones.length) % 3)
    const csv = ['phone,state,zip', ...repeated.map((p, i) => `${p},${STATES[address(i) % STATES.length]},${ZIPS[address(i) % ZIPS.length]}`)].join('\n')
    writeFileSync(join(dir, 'in.csv'), `${csv}\n`)
    writeFileSync(join(dir, 'in-phone.csv'), `${['phone', ...repeated].join('\n')}\n`)
  }, 300_000)

  afterAll(async () => {
    await app?.close()
  })

  it.each([
    ...INSTANTS.flatMap((at) => [['m', at, 'phone,state,zip'], ['x', at, 'phone,state,zip']]),
    ...INSTANTS.slice(0, 2).flatMap((at) => [['m', at, 'phone'], ['x', at, 'phone']]),
  ])('campaign %s at %s, columns %s', async (campaign, at, columns) => {
    const hinted = columns === 'phone,state,zip'
    const out = join(dir, `out-${campaign}-${at.replace(/:/g, '')}-${hinted ? 'state' : 'phone'}.csv`)
    const input = inputSource(join(dir, hinted ? 'in.csv' : 'in-phone.csv'), 'in')
    const summary = await app.scrub.scrub(ctx, { campaign, input, output: await outputTarget(out, 'out'), at: requireInstant('at', at), phoneColumn: null, stateColumn: hinted ? 'state' : null, zipColumn: hinted ? 'zip' : null })
    expect(summary.rows).toBe(phones.length * 15)
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[]
    const verdicts = new Set<string>()
    const checked = new Map<string, Awaited<ReturnType<typeof app.gate.check>>>()
    for (const row of rows) {
      const key = `${row['phone']}|${row['state'] ?? ''}|${row['zip'] ?? ''}`
      const c = checked.get(key) ?? (await app.gate.check(ctx, { campaign, phone: row['phone']!, at: requireInstant('at', at), address: addressHint(row['state'], row['zip']) }))
      checked.set(key, c)
      const label = `${row['phone']} state=${row['state']} zip=${row['zip']}`
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
