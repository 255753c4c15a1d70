import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { dialects, installation, type Installation } from '../support/cli.js'

interface Check {
  phone: string | null
  verdict: 'allow' | 'block'
  reasons: Array<{ code: string; message: string; rule: string }>
  nextAllowedAt: string | null
}
const codes = (c: Check): string[] => [...new Set(c.reasons.map((r) => r.code))].sort()

/**
 * Calling windows, restricted days, holidays, split zones, Canada, frequency caps, emergencies,
 * abandonment and next-allowed times through the CLI. An informational manual campaign needs no
 * consent and no registry, so only the time rules speak.
 */
describe.each(dialects())('calling-time rules through the CLI (%s)', (dialect) => {
  let dw: Installation
  const check = (phone: string, at: string, ...extra: string[]): Promise<Check> =>
    dw.json<Check>('check', '--campaign', 'svc', '--phone', phone, '--at', at, ...extra)

  beforeAll(async () => {
    dw = await installation(dialect)
    for (const args of [
      ['campaign', 'add', '--id', 'svc', '--seller', 'Acme', '--purpose', 'informational', '--dialing', 'manual'],
      ['campaign', 'add', '--id', 'svc2', '--seller', 'Acme', '--purpose', 'informational', '--dialing', 'manual'],
      ['campaign', 'add', '--id', 'robo', '--seller', 'Acme', '--purpose', 'informational', '--dialing', 'prerecorded'],
      ['campaign', 'add', '--id', 'mkt', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'manual'],
      ['campaign', 'add', '--id', 'mkt2', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'manual'],
    ]) {
      const r = await dw.run(...args)
      expect(r.code, r.stderr).toBe(0)
    }
  }, 300_000)
  afterAll(async () => {
    await dw?.dispose()
  })

  it('Florida ends at 20:00 local (end exclusive); next allowed is 08:00 the next morning', async () => {
    const late = await check('+13052000001', '2026-12-02T01:00:00Z') // 20:00 EST
    expect(codes(late)).toEqual(['CALLING_HOURS'])
    expect(late.reasons.some((r) => r.rule.includes('US-FL calling window 08:00-20:00'))).toBe(true)
    expect(late.nextAllowedAt).toBe('2026-12-02T13:00:00Z')
    expect((await check('+13052000001', '2026-12-02T00:59:59Z')).verdict).toBe('allow')
    // fed back as --at, the next allowed time is allowed
    expect((await check('+13052000001', late.nextAllowedAt!)).verdict).toBe('allow')
  })

  it('a split area code must pass in every zone it spans (850: Eastern and Central)', async () => {
    const r = await check('+18502000001', '2026-12-01T13:30:00Z') // 08:30 EST, 07:30 CST
    expect(codes(r)).toEqual(['CALLING_HOURS'])
    expect(r.nextAllowedAt).toBe('2026-12-01T14:00:00Z')
  })

  it('Arizona keeps standard time all year; Hawaii and Newfoundland offsets', async () => {
    // 2026-07-01 15:30Z = 08:30 in Phoenix (UTC-7), would be 09:30 in Denver (MDT)
    expect((await check('+16022000001', '2026-07-01T14:59:00Z')).verdict).toBe('block')
    expect((await check('+16022000001', '2026-07-01T15:00:00Z')).verdict).toBe('allow')
    const hi = await check('+18082000001', '2026-12-01T17:00:00Z') // 07:00 HST
    expect(hi.nextAllowedAt).toBe('2026-12-01T18:00:00Z')
    // 709 spans Newfoundland (UTC-3:30) and Labrador (Atlantic, UTC-4): the Canadian weekday window
    // 09:00-21:30 opens at 13:00Z (Atlantic) and closes at 01:00Z (21:30 in St. John's)
    const nl = await check('+17092000001', '2026-12-01T12:45:00Z')
    expect(codes(nl)).toEqual(['CALLING_HOURS'])
    expect(nl.nextAllowedAt).toBe('2026-12-01T13:00:00Z')
    expect((await check('+17092000001', '2026-12-02T00:59:59Z')).verdict).toBe('allow')
    const closed = await check('+17092000001', '2026-12-02T01:00:00Z')
    expect(codes(closed)).toEqual(['CALLING_HOURS'])
    expect(closed.reasons[0]!.message).toMatch(/St_Johns/)
  })

  it('Canada: weekends 10:00-18:00', async () => {
    const sat = await check('+14162000001', '2026-12-05T23:30:00Z') // Sat 18:30 EST
    expect(codes(sat)).toEqual(['CALLING_HOURS'])
    expect(sat.nextAllowedAt).toBe('2026-12-06T15:00:00Z') // Sun 10:00 EST
    expect((await check('+14162000001', '2026-12-07T23:30:00Z')).verdict).toBe('allow') // Mon 18:30
  })

  it('Rhode Island: no Sunday calls; Alabama: no holiday calls', async () => {
    const sun = await check('+14012000001', '2026-12-06T17:00:00Z')
    expect(codes(sun)).toEqual(['RESTRICTED_DAY'])
    expect(sun.nextAllowedAt).toBe('2026-12-07T14:00:00Z') // Monday 09:00 EST
    const xmas = await check('+12052000001', '2026-12-25T17:00:00Z')
    expect(codes(xmas)).toEqual(['RESTRICTED_DAY'])
    expect(xmas.nextAllowedAt).toBe('2026-12-26T14:00:00Z') // Saturday 08:00 CST
  })

  it('the consumer address adds a place: --state CA makes a New York number wait for 08:00 Pacific', async () => {
    expect((await check('+12122000001', '2026-12-01T14:00:00Z')).verdict).toBe('allow')
    const withState = await check('+12122000001', '2026-12-01T14:00:00Z', '--state', 'CA')
    expect(codes(withState)).toEqual(['CALLING_HOURS'])
    expect(withState.nextAllowedAt).toBe('2026-12-01T16:00:00Z')
  })

  it('Florida frequency cap: 3 marketing calls per rolling 24 hours per seller, across its marketing campaigns', async () => {
    const p = '+13052000099'
    // written consent exempts the calls from the registries, so only the cap speaks
    await dw.ok('consent', 'grant', '--phone', p, '--seller', 'Acme', '--kind', 'written', '--at', '2026-11-01')
    const mkt = (at: string): Promise<Check> => dw.json<Check>('check', '--campaign', 'mkt', '--phone', p, '--at', at)
    await dw.ok('calls', 'record', '--phone', p, '--campaign', 'mkt', '--at', '2026-12-01T14:00:00Z', '--outcome', 'no-answer')
    await dw.ok('calls', 'record', '--phone', p, '--campaign', 'mkt2', '--at', '2026-12-01T15:00:00Z', '--outcome', 'busy')
    expect((await mkt('2026-12-01T16:00:00Z')).verdict).toBe('allow')
    await dw.ok('calls', 'record', '--phone', p, '--campaign', 'mkt', '--at', '2026-12-01T16:00:00Z', '--outcome', 'answered', '--duration', '42')
    const capped = await mkt('2026-12-01T17:00:00Z')
    expect(codes(capped)).toEqual(['FREQUENCY_CAP'])
    expect(capped.nextAllowedAt).toBe('2026-12-02T14:00:00Z')
    // informational calls are never capped
    expect((await check(p, '2026-12-01T17:00:00Z')).verdict).toBe('allow')
  })

  it('a declared Louisiana emergency blocks marketing calls with EMERGENCY until it ends', async () => {
    const at = '2026-12-01T18:00:00Z'
    await dw.run('consent', 'grant', '--phone', '+15042000001', '--seller', 'Acme', '--kind', 'written', '--at', '2026-01-01')
    expect((await dw.run('emergency', 'declare', '--region', 'US-LA', '--from', '2026-11-30', '--until', '2026-12-10', '--reason', 'hurricane')).code).toBe(0)
    const r = await dw.json<Check>('check', '--campaign', 'mkt', '--phone', '+15042000001', '--at', at)
    expect(codes(r)).toEqual(['EMERGENCY'])
    expect(r.nextAllowedAt).toBeNull()
    const after = await dw.json<Check>('check', '--campaign', 'mkt', '--phone', '+15042000001', '--at', '2026-12-10T18:00:00Z')
    expect(after.reasons.map((x) => x.code)).not.toContain('EMERGENCY')
  })

  it('abandonment: the report shows the 30-day rate and ABANDON_RATE blocks an autodialed campaign over 3%', async () => {
    const at = '2026-12-01T18:00:00Z'
    for (let i = 0; i < 3; i++) await dw.run('calls', 'record', '--phone', `+1213200000${i}`, '--campaign', 'robo', '--at', '2026-11-20T18:00:00Z', '--outcome', 'answered')
    const ok = await dw.json<Record<string, unknown>>('report', 'abandonment', '--campaign', 'robo', '--at', at)
    expect(ok).toMatchObject({ liveAnswered: 3, abandoned: 0, overLimit: false })
    await dw.run('calls', 'record', '--phone', '+12132000009', '--campaign', 'robo', '--at', '2026-11-21T18:00:00Z', '--outcome', 'abandoned')
    const over = await dw.json<Record<string, unknown>>('report', 'abandonment', '--campaign', 'robo', '--at', at)
    expect(over).toMatchObject({ liveAnswered: 4, abandoned: 1, ratePercent: 25, overLimit: true })
    await dw.run('consent', 'grant', '--phone', '+12132000050', '--seller', 'Acme', '--kind', 'express', '--at', '2026-01-01')
    const r = await dw.json<Check>('check', '--campaign', 'robo', '--phone', '+12132000050', '--at', at)
    expect(codes(r)).toEqual(['ABANDON_RATE'])
    // 31 days later the abandoned call has left the window
    const later = await dw.json<Check>('check', '--campaign', 'robo', '--phone', '+12132000050', '--at', '2026-12-22T20:00:00Z')
    expect(later.verdict).toBe('allow')
  })

  it('scrub fills dialward_next_allowed_at exactly as check does', async () => {
    const dir = join(dw.dataDir, '..')
    writeFileSync(join(dir, 'late.csv'), 'phone\n+13052000001\n+18502000001\n+13102000001\n')
    const at = '2026-12-02T01:30:00Z'
    const r = await dw.run('scrub', '--campaign', 'svc', '--in', join(dir, 'late.csv'), '--out', join(dir, 'late-out.csv'), '--at', at)
    expect(r.code, r.stderr).toBe(0)
    const rows = parse(readFileSync(join(dir, 'late-out.csv'), 'utf8'), { columns: true }) as Record<string, string>[]
    for (const row of rows) {
      const c = await check(row['phone']!, at)
      expect(row['dialward_verdict']).toBe(c.verdict)
      expect(row['dialward_next_allowed_at']).toBe(c.nextAllowedAt ?? '')
    }
    expect(rows[0]!['dialward_next_allowed_at']).toBe('2026-12-02T13:00:00Z')
    expect(rows[2]!['dialward_verdict']).toBe('allow') // 17:30 in Los Angeles
  })

  it('an operator rule pack adds a company-wide quiet window; a bad pack is refused with every error', async () => {
    const packPath = join(dw.dataDir, 'rule-pack.json')
    writeFileSync(
      packPath,
      JSON.stringify({
        name: 'acme-policy',
        version: '1',
        entries: [{ id: 'ACME-quiet', appliesTo: { country: 'US' }, window: { daily: ['10:00', '19:00'] }, source: 'Acme policy CP-7', confidence: 'P' }],
      }),
    )
    const r = await check('+12122000001', '2026-12-01T14:30:00Z') // 09:30 EST
    expect(codes(r)).toEqual(['CALLING_HOURS'])
    expect(r.reasons.some((x) => x.rule.includes('Acme policy CP-7'))).toBe(true)
    expect(r.nextAllowedAt).toBe('2026-12-01T15:00:00Z')
    writeFileSync(packPath, JSON.stringify({ name: 'bad', version: '1', entries: [{ id: 'X', appliesTo: { country: 'US' }, window: { daily: ['25:00', '19:00'] }, colour: 'red' }] }))
    const bad = await dw.run('check', '--campaign', 'svc', '--phone', '+12122000001', '--at', '2026-12-01T14:30:00Z')
    expect(bad.code).toBe(2)
    expect(bad.stderr.trim().split('\n')).toHaveLength(1)
    expect(bad.stderr).toMatch(/rule pack/)
    writeFileSync(packPath, '{}')
    const empty = await dw.run('check', '--campaign', 'svc', '--phone', '+12122000001', '--at', '2026-12-01T14:30:00Z')
    expect(empty.code).toBe(2)
    const { rmSync } = await import('node:fs')
    rmSync(packPath)
  })
})
