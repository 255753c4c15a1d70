import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { dialects, installation, type Installation } from '../support/cli.js'

/**
 * The settled points of CONTRACT "Gate semantics" (issue 14), each through the CLI on every
 * database: every candidate place in every candidate zone, caps on marketing calls over a
 * half-open window, freshness by UTC date, reassigned results by UTC date, events at the call's
 * instant, exemptions by country, non-NANP validity, abandonment periods by country.
 */
interface Check {
  phone: string | null
  verdict: 'allow' | 'block'
  reasons: Array<{ code: string; message: string; rule: string }>
  nextAllowedAt: string | null
}

const codes = (c: Check): string[] => c.reasons.map((r) => r.code).sort()
const SELLER = 'Acme Retail'

describe.each(dialects())('the settled gate semantics through the CLI (%s)', (dialect) => {
  let dw: Installation
  const check = (campaign: string, phone: string, at: string, ...extra: string[]): Promise<Check> =>
    dw.json<Check>('check', '--campaign', campaign, '--phone', phone, '--at', at, ...extra)
  const grant = (phone: string, kind: string, at: string): Promise<void> =>
    dw.ok('consent', 'grant', '--phone', phone, '--seller', SELLER, '--kind', kind, '--at', at)
  const registry = async (id: string, lines: string, asOf: string, ...extra: string[]): Promise<void> => {
    const path = join(dw.dataDir, '..', `${id}-${asOf}-${Math.random().toString(36).slice(2)}.txt`)
    writeFileSync(path, lines)
    await dw.ok('registry', 'import', '--registry', id, '--file', path, '--as-of', asOf, ...extra)
  }

  beforeAll(async () => {
    dw = await installation(dialect)
    const campaigns: string[][] = [
      ['--id', 'mkt-auto', '--purpose', 'marketing', '--dialing', 'autodialed'],
      ['--id', 'mkt-manual', '--purpose', 'marketing', '--dialing', 'manual'],
      ['--id', 'info-auto', '--purpose', 'informational', '--dialing', 'autodialed'],
      ['--id', 'robo', '--purpose', 'informational', '--dialing', 'autodialed'],
    ]
    for (const c of campaigns) await dw.ok('campaign', 'add', '--seller', SELLER, ...c)
    // fresh national registries for the area codes the cases call; 212 is old on purpose
    await registry('us-national', '305,2000090\n305,2000091\n', '2026-11-25', '--area-codes', '203,305,206')
    await registry('us-national', '212,2000090\n', '2026-11-01')
    await registry('ca-national', '416,2000090\n416,2000091\n416,2000092\n', '2026-11-25')
    await registry('uk-tps', '020 7946 0090\n020 7946 0091\n020 7946 0092\n', '2026-11-04')
    await registry('us-state-FL', '305,2000093\n', '2026-11-25')
  }, 300_000)

  afterAll(async () => {
    await dw?.dispose()
  })

  it("every candidate place in every candidate zone: Connecticut's 09:00 binds at 08:30 Pacific for a WA address", async () => {
    const p = '+12032000001'
    await grant(p, 'written', '2026-11-01')
    // 16:30Z is 11:30 in Connecticut (inside its 09:00-20:00) and 08:30 in Washington
    const early = await check('mkt-auto', p, '2026-12-01T16:30:00Z', '--state', 'WA')
    expect(codes(early)).toEqual(['CALLING_HOURS'])
    expect(early.reasons[0]!.rule).toContain('US-CT calling window 09:00-20:00')
    expect(early.reasons[0]!.message).toContain('America/Los_Angeles')
    expect(early.nextAllowedAt).toBe('2026-12-01T17:00:00Z')
    expect((await check('mkt-auto', p, '2026-12-01T17:00:00Z', '--state', 'WA')).verdict).toBe('allow')
    // without the address the Eastern zone alone decides
    expect((await check('mkt-auto', p, '2026-12-01T16:30:00Z')).verdict).toBe('allow')
    // and Washington's 20:00 end binds in the Eastern zone: 20:30 Eastern is blocked by WA
    const late = await check('mkt-auto', p, '2026-12-02T01:30:00Z', '--state', 'WA')
    expect(late.reasons.map((r) => r.rule.split(' ')[0]).sort()).toEqual(['US-CT', 'US-WA'])
  })

  it('frequency caps count and apply to marketing calls only, over (at - 24 h, at]', async () => {
    const p = '+13052000002'
    await grant(p, 'written', '2026-11-01')
    await grant(p, 'express', '2026-11-01')
    for (const at of ['2026-12-01T14:00:00Z', '2026-12-01T15:00:00Z', '2026-12-01T16:00:00Z']) {
      await dw.ok('calls', 'record', '--phone', p, '--campaign', 'mkt-auto', '--at', at, '--outcome', 'no-answer')
    }
    const capped = await check('mkt-auto', p, '2026-12-01T17:00:00Z')
    expect(codes(capped)).toEqual(['FREQUENCY_CAP'])
    expect(capped.nextAllowedAt).toBe('2026-12-02T14:00:00Z')
    // exactly 24 hours after the first of the three: it has left the window
    expect((await check('mkt-auto', p, '2026-12-02T14:00:00Z')).verdict).toBe('allow')
    expect(codes(await check('mkt-auto', p, '2026-12-02T13:59:59Z'))).toEqual(['FREQUENCY_CAP'])
    // informational calls are not capped ...
    expect((await check('info-auto', p, '2026-12-01T17:00:00Z')).verdict).toBe('allow')
    // ... and do not count toward the cap of marketing calls
    const q = '+13052000003'
    await grant(q, 'written', '2026-11-01')
    await grant(q, 'express', '2026-11-01')
    for (const at of ['2026-12-01T14:00:00Z', '2026-12-01T15:00:00Z', '2026-12-01T16:00:00Z']) {
      await dw.ok('calls', 'record', '--phone', q, '--campaign', 'info-auto', '--at', at, '--outcome', 'answered')
    }
    expect((await check('mkt-auto', q, '2026-12-01T17:00:00Z')).verdict).toBe('allow')
  })

  it("registry freshness compares the call's UTC date with the as-of date: 31 days in the US, 28 in the UK", async () => {
    // us-national for 212 as of 2026-11-01 serves calls through 2026-12-02 23:59:59Z
    expect((await check('mkt-manual', '+12122000001', '2026-12-02T23:59:59Z')).verdict).toBe('allow')
    const us = await check('mkt-manual', '+12122000001', '2026-12-03T00:00:00Z')
    expect(codes(us)).toEqual(['REGISTRY_STALE'])
    expect(us.reasons[0]!.message).toContain('212')
    // uk-tps as of 2026-11-04 serves calls through 2026-12-02 (28 days)
    expect((await check('mkt-manual', '+442079460001', '2026-12-02T23:59:59Z')).verdict).toBe('allow')
    expect(codes(await check('mkt-manual', '+442079460001', '2026-12-03T00:00:00Z'))).toEqual(['REGISTRY_STALE'])
  })

  it('a reassigned result yes for date D voids a consent granted at any time on D (UTC), not one granted on D + 1', async () => {
    const late = '+13052000004'
    await grant(late, 'express', '2026-11-10T23:59:59Z')
    await dw.ok('reassigned', 'record', '--phone', late, '--date', '2026-11-10', '--result', 'yes')
    expect(codes(await check('info-auto', late, '2026-12-01T18:00:00Z'))).toEqual(['REASSIGNED_NUMBER'])
    const next = '+13052000005'
    await grant(next, 'express', '2026-11-11T00:00:00Z')
    await dw.ok('reassigned', 'record', '--phone', next, '--date', '2026-11-10', '--result', 'yes')
    expect((await check('info-auto', next, '2026-12-01T18:00:00Z')).verdict).toBe('allow')
  })

  it('an event at instant T applies to a call at T: grant, revocation, do-not-call request, call', async () => {
    const T = '2026-12-01T17:00:00Z'
    const granted = '+13052000006'
    await grant(granted, 'written', T)
    expect((await check('mkt-auto', granted, T)).verdict).toBe('allow')
    expect(codes(await check('mkt-auto', granted, '2026-12-01T16:59:59Z'))).toEqual(['NO_CONSENT'])

    const revoked = '+13052000007'
    await grant(revoked, 'written', '2026-11-01')
    await dw.ok('consent', 'revoke', '--phone', revoked, '--at', T, '--via', 'agent')
    expect(codes(await check('mkt-auto', revoked, T))).toEqual(['CONSENT_REVOKED', 'INTERNAL_DNC'])
    expect((await check('mkt-auto', revoked, '2026-12-01T16:59:59Z')).verdict).toBe('allow')

    const requested = '+13052000008'
    await grant(requested, 'written', '2026-11-01')
    await dw.ok('dnc', 'add', '--phone', requested, '--at', T)
    expect(codes(await check('mkt-auto', requested, T))).toEqual(['INTERNAL_DNC'])
    expect((await check('mkt-auto', requested, '2026-12-01T16:59:59Z')).verdict).toBe('allow')

    const called = '+13052000009'
    await grant(called, 'written', '2026-11-01')
    for (const at of ['2026-12-01T15:00:00Z', '2026-12-01T16:00:00Z', T]) {
      await dw.ok('calls', 'record', '--phone', called, '--campaign', 'mkt-auto', '--at', at, '--outcome', 'busy')
    }
    expect(codes(await check('mkt-auto', called, T))).toEqual(['FREQUENCY_CAP'])
  })

  it("exemptions by country: Canada's DNCL yields to express consent or a 6-month inquiry, the TPS to consent of either kind, the US lists to written consent only", async () => {
    const at = '2026-12-01T18:00:00Z'
    // Canada: listed, express consent → allowed; a 5-month-old inquiry → allowed
    expect(codes(await check('mkt-manual', '+14162000090', at))).toEqual(['NATIONAL_DNC'])
    await grant('+14162000090', 'express', '2026-11-01')
    expect((await check('mkt-manual', '+14162000090', at)).verdict).toBe('allow')
    await grant('+14162000091', 'ebr-inquiry', '2026-07-01')
    expect((await check('mkt-manual', '+14162000091', at)).verdict).toBe('allow')
    await grant('+14162000092', 'ebr-purchase', '2025-06-15')
    expect((await check('mkt-manual', '+14162000092', at)).verdict).toBe('allow')
    // UK: listed, express consent → allowed; an EBR does not lift the TPS
    await grant('+442079460090', 'express', '2026-11-01')
    expect((await check('mkt-manual', '+442079460090', '2026-12-01T12:00:00Z')).verdict).toBe('allow')
    await grant('+442079460091', 'ebr-purchase', '2026-11-01')
    expect(codes(await check('mkt-manual', '+442079460091', '2026-12-01T12:00:00Z'))).toEqual(['NATIONAL_DNC'])
    // US: express consent lifts neither the national registry nor a state list
    await grant('+13052000090', 'express', '2026-11-01')
    expect(codes(await check('mkt-manual', '+13052000090', at))).toEqual(['NATIONAL_DNC'])
    await grant('+13052000093', 'express', '2026-11-01')
    expect(codes(await check('mkt-manual', '+13052000093', at))).toEqual(['STATE_DNC'])
    await grant('+13052000091', 'ebr-inquiry', '2026-07-01')
    expect(codes(await check('mkt-manual', '+13052000091', at))).toEqual(['NATIONAL_DNC'])
  })

  it("non-NANP numbers are valid only when libphonenumber's metadata says so", async () => {
    const short = await check('info-auto', '+44 20 7946 000', '2026-12-01T12:00:00Z')
    expect(short).toMatchObject({ phone: null, verdict: 'block', nextAllowedAt: null })
    expect(codes(short)).toEqual(['INVALID_NUMBER'])
    expect((await check('info-auto', '+44 20 7946 0018', '2026-12-01T12:00:00Z')).phone).toBe('+442079460018')
    // a number the gate calls invalid cannot be recorded either
    const refused = await dw.run('consent', 'grant', '--phone', '+44 20 7946 000', '--seller', SELLER, '--kind', 'express', '--at', '2026-11-01')
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/phone/)
    expect(refused.stderr.trim().split('\n')).toHaveLength(1)
  })

  it('abandonment is judged over the country period: US and Canada 30 days, the UK 24 hours', async () => {
    const at = '2026-12-01T18:00:00Z'
    // ten days ago: one answered, one abandoned (50 %); in the last 24 hours: one answered (0 %)
    await dw.ok('calls', 'record', '--phone', '+12132000001', '--campaign', 'robo', '--at', '2026-11-21T18:00:00Z', '--outcome', 'answered')
    await dw.ok('calls', 'record', '--phone', '+12132000002', '--campaign', 'robo', '--at', '2026-11-21T18:05:00Z', '--outcome', 'abandoned')
    await dw.ok('calls', 'record', '--phone', '+12132000003', '--campaign', 'robo', '--at', '2026-12-01T10:00:00Z', '--outcome', 'answered')
    for (const p of ['+12132000050', '+14162000050', '+442079460050']) await grant(p, 'express', '2026-01-01')
    const us = await check('robo', '+12132000050', at)
    expect(codes(us)).toEqual(['ABANDON_RATE'])
    expect(us.reasons[0]!.rule).toContain('US-abandonment')
    const ca = await check('robo', '+14162000050', at)
    expect(codes(ca)).toEqual(['ABANDON_RATE'])
    expect(ca.reasons[0]!.rule).toContain('CA-abandonment abandonment cap 5% of live-answered calls per 30 days')
    expect((await check('robo', '+442079460050', at)).verdict).toBe('allow')
    // an abandoned call within the last 24 hours: now the UK blocks too (1 of 2 live-answered today)
    await dw.ok('calls', 'record', '--phone', '+12132000004', '--campaign', 'robo', '--at', '2026-12-01T11:00:00Z', '--outcome', 'abandoned')
    const gb = await check('robo', '+442079460050', at)
    expect(codes(gb)).toEqual(['ABANDON_RATE'])
    expect(gb.reasons[0]!.rule).toContain('GB-abandonment abandonment cap 3% of live-answered calls per 24 h')
    // and 24 hours later the UK window is clear again while the US 30 days still hold it
    expect((await check('robo', '+442079460050', '2026-12-02T11:00:00Z')).verdict).toBe('allow')
    expect(codes(await check('robo', '+12132000050', '2026-12-02T18:00:00Z'))).toEqual(['ABANDON_RATE'])
  })
})
