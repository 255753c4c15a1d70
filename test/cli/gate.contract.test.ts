import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { dialects, installation, type Installation } from '../support/cli.js'

interface Check {
  phone: string | null
  verdict: 'allow' | 'block'
  reasons: Array<{ code: string; message: string; rule: string }>
  nextAllowedAt: string | null
  decisionId: string
}

const AT = '2026-12-01T18:00:00Z' // a Tuesday, 13:00 in Miami
const codes = (c: Check): string[] => c.reasons.map((r) => r.code).sort()

describe.each(dialects())('the gate through the CLI (%s)', (dialect) => {
  let dw: Installation
  const check = (campaign: string, phone: string, ...extra: string[]): Promise<Check> =>
    dw.json<Check>('check', '--campaign', campaign, '--phone', phone, '--at', AT, ...extra)

  beforeAll(async () => {
    dw = await installation(dialect)
    const setup: string[][] = [
      ['campaign', 'add', '--id', 'mkt-auto', '--seller', 'Acme Retail', '--purpose', 'marketing', '--dialing', 'autodialed'],
      ['campaign', 'add', '--id', 'mkt-manual', '--seller', 'Acme Retail', '--purpose', 'marketing', '--dialing', 'manual'],
      ['campaign', 'add', '--id', 'info-auto', '--seller', 'Acme Retail', '--purpose', 'informational', '--dialing', 'autodialed'],
      ['campaign', 'add', '--id', 'globex-auto', '--seller', 'Globex', '--purpose', 'marketing', '--dialing', 'prerecorded'],
      ['campaign', 'add', '--id', 'mkt-sms', '--seller', 'Acme Retail', '--purpose', 'marketing', '--dialing', 'autodialed', '--channel', 'sms'],
    ]
    for (const args of setup) expect((await dw.run(...args)).code).toBe(0)
    const registry = join(dw.dataDir, '..', 'us-national.txt')
    writeFileSync(registry, 'areacode,number\n305,2000010\n3052000011\n305,2000012\n305,2000013\n305,2000014\n416,2000015\n')
    expect((await dw.run('registry', 'import', '--registry', 'us-national', '--file', registry, '--as-of', '2026-11-20')).code).toBe(0)
    const ca = join(dw.dataDir, '..', 'ca-national.txt')
    writeFileSync(ca, '416,2000015\n')
    expect((await dw.run('registry', 'import', '--registry', 'ca-national', '--file', ca, '--as-of', '2026-11-25')).code).toBe(0)
    const fl = join(dw.dataDir, '..', 'fl.txt')
    writeFileSync(fl, '3052000016\n')
    expect((await dw.run('registry', 'import', '--registry', 'us-state-FL', '--file', fl, '--as-of', '2026-10-01')).code).toBe(0)
  }, 300_000)

  afterAll(async () => {
    await dw?.dispose()
  })

  it('blocks a marketing autodialed call without written consent, and allows it with consent', async () => {
    const none = await check('mkt-auto', '+13052000001')
    expect(none.verdict).toBe('block')
    expect(codes(none)).toEqual(['NO_CONSENT'])
    expect(none.nextAllowedAt).toBeNull()
    expect(none.phone).toBe('+13052000001')
    expect(none.reasons[0]!.rule).toMatch(/64\.1200/)

    await dw.run('consent', 'grant', '--phone', '(305) 200-0001', '--seller', 'Acme Retail', '--kind', 'written', '--at', '2026-11-01T10:00:00Z', '--disclosure', 'I agree to autodialed marketing calls from Acme Retail. Not a condition of purchase.', '--ip', '203.0.113.7', '--user-agent', 'Mozilla/5.0 canary')
    const ok = await check('mkt-auto', '+1 305 200 0001')
    expect(ok).toMatchObject({ verdict: 'allow', reasons: [], nextAllowedAt: null, phone: '+13052000001' })
    expect(ok.decisionId).toMatch(/\S/)
    // consent belongs to the seller: another seller's campaign is still blocked
    expect(codes(await check('globex-auto', '+13052000001'))).toEqual(['NO_CONSENT'])
  })

  it('needs consent granted at or before the call, and for a matching channel', async () => {
    await dw.run('consent', 'grant', '--phone', '+13052000002', '--seller', 'Acme Retail', '--kind', 'written', '--at', '2026-12-02T00:00:00Z')
    expect(codes(await check('mkt-auto', '+13052000002'))).toEqual(['NO_CONSENT'])
    await dw.run('consent', 'grant', '--phone', '+13052000003', '--seller', 'Acme Retail', '--kind', 'written', '--at', '2026-11-01', '--channel', 'sms')
    expect(codes(await check('mkt-auto', '+13052000003'))).toEqual(['NO_CONSENT'])
    expect((await check('mkt-sms', '+13052000003')).verdict).toBe('allow')
  })

  it('a revocation ends consent and is a do-not-call request; a later consent restores calling', async () => {
    const p = '+13052000004'
    await dw.run('consent', 'grant', '--phone', p, '--seller', 'Acme Retail', '--kind', 'written', '--at', '2026-10-01')
    await dw.run('consent', 'revoke', '--phone', p, '--at', '2026-11-15', '--via', 'sms', '--words', 'STOP')
    const revoked = await check('mkt-auto', p)
    expect(codes(revoked)).toEqual(['CONSENT_REVOKED', 'INTERNAL_DNC'])
    expect(revoked.nextAllowedAt).toBeNull()
    // before the revocation the call was allowed
    const before = await dw.json<Check>('check', '--campaign', 'mkt-auto', '--phone', p, '--at', '2026-11-10T18:00:00Z')
    expect(before.verdict).toBe('allow')
    await dw.run('consent', 'grant', '--phone', p, '--seller', 'Acme Retail', '--kind', 'written', '--at', '2026-11-20')
    expect((await check('mkt-auto', p)).verdict).toBe('allow')
  })

  it('company do-not-call blocks marketing regardless of earlier consent, for one seller or every seller', async () => {
    const p = '+13052000005'
    await dw.run('consent', 'grant', '--phone', p, '--seller', 'Acme Retail', '--kind', 'written', '--at', '2026-10-01')
    await dw.run('consent', 'grant', '--phone', p, '--seller', 'Globex', '--kind', 'written', '--at', '2026-10-01')
    await dw.run('dnc', 'add', '--phone', p, '--at', '2026-11-01', '--seller', 'Globex')
    expect((await check('mkt-auto', p)).verdict).toBe('allow')
    expect(codes(await check('globex-auto', p))).toEqual(['INTERNAL_DNC'])
    await dw.run('dnc', 'add', '--phone', p, '--at', '2026-11-02')
    expect(codes(await check('mkt-auto', p))).toEqual(['INTERNAL_DNC'])
    // informational calls are not marketing: company DNC does not apply, consent still does
    expect((await check('info-auto', p)).verdict).toBe('allow')
  })

  it('national registry: listed numbers are blocked for marketing unless written consent or a live EBR', async () => {
    expect(codes(await check('mkt-manual', '+13052000010'))).toEqual(['NATIONAL_DNC'])
    expect((await check('mkt-manual', '+13052000020')).verdict).toBe('allow')
    await dw.run('consent', 'grant', '--phone', '+13052000011', '--seller', 'Acme Retail', '--kind', 'ebr-purchase', '--at', '2025-08-01')
    expect((await check('mkt-manual', '+13052000011')).verdict).toBe('allow')
    await dw.run('consent', 'grant', '--phone', '+13052000012', '--seller', 'Acme Retail', '--kind', 'ebr-purchase', '--at', '2025-05-01')
    expect(codes(await check('mkt-manual', '+13052000012'))).toEqual(['NATIONAL_DNC'])
    await dw.run('consent', 'grant', '--phone', '+13052000013', '--seller', 'Acme Retail', '--kind', 'ebr-inquiry', '--at', '2026-10-01')
    expect((await check('mkt-manual', '+13052000013')).verdict).toBe('allow')
    await dw.run('consent', 'grant', '--phone', '+13052000014', '--seller', 'Acme Retail', '--kind', 'ebr-inquiry', '--at', '2026-08-01')
    expect(codes(await check('mkt-manual', '+13052000014'))).toEqual(['NATIONAL_DNC'])
    // a do-not-call request ends the EBR
    await dw.run('dnc', 'add', '--phone', '+13052000011', '--seller', 'Acme Retail', '--at', '2026-11-01')
    expect(codes(await check('mkt-manual', '+13052000011'))).toEqual(['INTERNAL_DNC', 'NATIONAL_DNC'])
    // informational calls ignore the registries
    await dw.run('consent', 'grant', '--phone', '+13052000010', '--seller', 'Acme Retail', '--kind', 'express', '--at', '2026-01-01')
    expect((await check('info-auto', '+13052000010')).verdict).toBe('allow')
  })

  it('Canada: 6-month inquiry EBR, ca-national list', async () => {
    expect(codes(await check('mkt-manual', '+14162000015'))).toEqual(['NATIONAL_DNC'])
    await dw.run('consent', 'grant', '--phone', '+14162000015', '--seller', 'Acme Retail', '--kind', 'ebr-inquiry', '--at', '2026-07-01')
    expect((await check('mkt-manual', '+14162000015')).verdict).toBe('allow')
  })

  it('state lists apply to numbers whose candidate places include the state', async () => {
    const r = await check('mkt-manual', '+13052000016')
    expect(codes(r)).toEqual(['STATE_DNC'])
    expect(r.reasons[0]!.rule).toContain('US-FL')
  })

  it('registry freshness fails closed', async () => {
    const late = await dw.json<Check>('check', '--campaign', 'mkt-manual', '--phone', '+13052000030', '--at', '2026-12-22T18:00:00Z')
    expect(codes(late)).toEqual(['REGISTRY_STALE'])
    const edge = await dw.json<Check>('check', '--campaign', 'mkt-manual', '--phone', '+13052000030', '--at', '2026-12-21T18:00:00Z')
    expect(edge.verdict).toBe('allow')
    // a country with no imported registry at all: UK
    expect(codes(await check('mkt-manual', '+442079460021'))).toEqual(['REGISTRY_STALE'])
    // written consent exempts from registry scrubbing, so staleness does not matter
    await dw.run('consent', 'grant', '--phone', '+442079460022', '--seller', 'Acme Retail', '--kind', 'written', '--at', '2026-01-01')
    expect((await check('mkt-manual', '+442079460022')).verdict).toBe('allow')
  })

  it('a reassigned-number yes voids consent granted on or before its date', async () => {
    const p = '+13052000040'
    await dw.run('consent', 'grant', '--phone', p, '--seller', 'Acme Retail', '--kind', 'written', '--at', '2026-03-01T12:00:00Z')
    await dw.run('reassigned', 'record', '--phone', p, '--date', '2026-03-01', '--result', 'no')
    expect((await check('mkt-auto', p)).verdict).toBe('allow')
    await dw.run('reassigned', 'record', '--phone', p, '--date', '2026-03-01', '--result', 'yes')
    expect(codes(await check('mkt-auto', p))).toEqual(['REASSIGNED_NUMBER'])
    // manual calls need no consent
    expect((await check('mkt-manual', p)).verdict).toBe('allow')
  })

  it('invalid numbers give INVALID_NUMBER and nothing else', async () => {
    for (const bad of ['+1 305 100 0000', '555-0100', '+1 (112) 200-0000', 'not a number']) {
      const r = await check('mkt-auto', bad)
      expect(r).toMatchObject({ phone: null, verdict: 'block', nextAllowedAt: null })
      expect(codes(r)).toEqual(['INVALID_NUMBER'])
    }
  })

  it('every written form of a number is the same number', async () => {
    for (const form of ['３０５２０００００１', '+١ ٣٠٥ ٢٠٠ ٠٠٠١', '1-305-200-0001', '305.200.0001', '+1 (305) 200-0001']) {
      const r = await check('mkt-auto', form)
      expect(r.phone).toBe('+13052000001')
      expect(r.verdict).toBe('allow')
    }
  })
})
