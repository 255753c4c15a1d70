import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/app/config.js'
import { compose } from '../../src/app/compose.js'
import { requestContext } from '../../src/app/context.js'
import { requirePhone } from '../../src/app/input.js'
import { parseRegistryId } from '../../src/core/dnc/registry-id.js'
import { tempDir } from '../support/temp-dir.js'
import { dialects, installation, type Installation } from '../support/cli.js'
import { testServer, type TestServer } from '../support/server.js'

const AT = '2026-11-30T18:00:00Z' // a Monday, 13:00 in Miami
const ALLOWED = ['+13052100001', '+13052100002', '+13052100003']
const UNCONSENTED = ['+13052100011', '+13052100012']

/**
 * The dashboard's overview reports over the decision log and call records, on both databases:
 * decisions by day, verdict and reason; consent coverage from each number's latest check;
 * abandonment day by day.
 */
describe.each(dialects())('overview reports (%s)', (dialect) => {
  let dw: Installation
  let srv: TestServer
  let auditor: string

  beforeAll(async () => {
    dw = await installation(dialect)
    const s = await compose(loadConfig({ data: dw.dataDir }, { ...process.env, ...dw.env }), 'create')
    try {
      const ctx = requestContext('test:seed', 'admin')
      const phone = (p: string) => requirePhone('phone', p)
      const check = (campaign: string, p: string, at: string) => s.gate.checkMany(ctx, { campaign, at: Date.parse(at), numbers: [{ phone: p, address: { state: null, zip: null } }] })
      await s.campaigns.add(ctx, { id: 'mkt', seller: 'Acme', purpose: 'marketing', dialing: 'autodialed', channel: 'voice' })
      await s.campaigns.add(ctx, { id: 'manual', seller: 'Acme', purpose: 'marketing', dialing: 'manual', channel: 'voice' })
      const file = join(tempDir('reports'), 'ftc.txt')
      writeFileSync(file, '305,2109999\n')
      await s.registry.import(ctx, { registry: parseRegistryId('us-national')!, file, asOf: Date.parse('2026-11-28T00:00:00Z'), skipInvalid: false, full: true })
      for (const p of ALLOWED) {
        await s.consent.grant(ctx, { phone: phone(p), seller: 'Acme', kind: 'written', at: Date.parse('2026-11-01T12:00:00Z'), channel: 'any', disclosure: 'I agree to autodialed marketing calls from Acme', source: null, ip: null, userAgent: null, trustedForm: null, leadId: null })
      }
      for (const p of [...ALLOWED, ...UNCONSENTED]) await check('mkt', p, AT)
      // a later check of the first number, after its consent was revoked: coverage counts its latest check only
      await s.consent.revoke(ctx, { phone: phone(ALLOWED[0]!), at: Date.parse('2026-11-30T18:30:00Z'), seller: null, via: 'agent', words: null })
      await check('mkt', ALLOWED[0]!, '2026-11-30T19:00:00Z')
      await check('manual', UNCONSENTED[0]!, AT)
      for (let i = 0; i < 30; i++) {
        await s.calls.record(ctx, { phone: phone(ALLOWED[1]!), campaign: 'mkt', at: Date.parse(`2026-11-29T${String(13 + (i % 8)).padStart(2, '0')}:${String(i).padStart(2, '0')}:00Z`), outcome: i < 2 ? 'abandoned' : 'answered', durationSeconds: 30 })
      }
    } finally {
      await s.close()
    }
    srv = await testServer(dw, { DIALWARD_LOG_LEVEL: 'silent' })
    auditor = (await srv.key('auditor')).key
  }, 300_000)
  afterAll(async () => {
    await srv?.close()
    await dw?.dispose()
  })

  const get = async <T>(url: string): Promise<T> => {
    const r = await srv.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${auditor}` } })
    expect(r.statusCode, r.body).toBe(200)
    return r.json() as T
  }
  const window = `at=${encodeURIComponent('2026-12-01T12:00:00Z')}&days=3`

  it('counts decisions per UTC day by verdict, and blocked ones under each of their reasons', async () => {
    const r = await get<{ from: string; to: string; days: Array<{ date: string; allow: number; block: number; reasons: Record<string, number> }>; totals: { allow: number; block: number; reasons: Record<string, number> } }>(`/v1/reports/decisions?${window}`)
    expect(r.from).toBe('2026-11-29T00:00:00Z')
    expect(r.to).toBe('2026-12-02T00:00:00Z')
    expect(r.days.map((d) => d.date)).toEqual(['2026-11-29', '2026-11-30', '2026-12-01'])
    const monday = r.days[1]!
    expect(monday).toMatchObject({ allow: 4, block: 3 })
    expect(monday.reasons['NO_CONSENT']).toBe(2)
    expect(monday.reasons['CONSENT_REVOKED']).toBe(1)
    expect(r.days[0]).toMatchObject({ allow: 0, block: 0 })
    expect(r.totals).toMatchObject({ allow: 4, block: 3 })
  })

  it("measures consent coverage by each number's latest check, and marks manual dialing as not needing it", async () => {
    const r = await get<{ campaigns: Array<{ campaign: string; numbers: number; covered: number; coveragePercent: number | null; consentRequired: boolean; lacking: Record<string, number> }> }>(`/v1/reports/consent-coverage?${window}`)
    const mkt = r.campaigns.find((c) => c.campaign === 'mkt')!
    expect(mkt).toMatchObject({ numbers: 5, covered: 2, coveragePercent: 40, consentRequired: true, lacking: { NO_CONSENT: 2, CONSENT_REVOKED: 1, REASSIGNED_NUMBER: 0 } })
    expect(r.campaigns.find((c) => c.campaign === 'manual')).toMatchObject({ consentRequired: false, numbers: 1 })
  })

  it('gives the abandonment rate over the 30 days ending with each day, against the 3% limit', async () => {
    const r = await get<{ limitPercent: number; campaigns: Array<{ campaign: string; points: Array<{ date: string; liveAnswered: number; abandoned: number; ratePercent: number }> }> }>(`/v1/reports/abandonment/series?${window}`)
    expect(r.limitPercent).toBe(3)
    const mkt = r.campaigns.find((c) => c.campaign === 'mkt')!
    expect(mkt.points.map((p) => [p.date, p.liveAnswered, p.abandoned])).toEqual([
      ['2026-11-29', 30, 2],
      ['2026-11-30', 30, 2],
      ['2026-12-01', 30, 2],
    ])
    expect(mkt.points[0]!.ratePercent).toBeCloseTo(6.67, 2)
  })

  it('shows registry freshness as the rows of registry status, with the national registries never imported as missing', async () => {
    const r = await get<{ at: string; registries: Array<{ registry: string; areaCodes: string; state: string; asOf: string | null; staleFrom: string | null }> }>(`/v1/registries/status?at=${encodeURIComponent('2026-12-01T12:00:00Z')}`)
    expect(r.at).toBe('2026-12-01T12:00:00Z')
    expect(r.registries.map((x) => [x.registry, x.areaCodes, x.state, x.asOf, x.staleFrom])).toEqual([
      ['us-national', 'all', 'fresh', '2026-11-28', '2026-12-30'],
      ['ca-national', 'all', 'missing', null, null],
      ['uk-tps', 'all', 'missing', null, null],
    ])
  })
})
