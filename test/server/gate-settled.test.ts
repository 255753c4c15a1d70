import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { dialects, installation, type Installation } from '../support/cli.js'
import { testServer, type TestServer } from '../support/server.js'

interface Check {
  phone: string | null
  verdict: string
  reasons: Array<{ code: string; rule: string }>
  nextAllowedAt: string | null
  decisionId: string
}

/**
 * The server decides from its in-memory index (no SQL per check); the settled points of issue 14
 * that read facts differently there — every candidate zone, abandonment per period, calls by
 * purpose, exemptions by country — answer exactly what `check --json` answers.
 */
describe.each(dialects())('the settled gate semantics over HTTP equal check (%s)', (dialect) => {
  let dw: Installation
  let srv: TestServer
  let dialer: string

  beforeAll(async () => {
    dw = await installation(dialect)
    await dw.ok('campaign', 'add', '--id', 'mkt', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'manual')
    await dw.ok('campaign', 'add', '--id', 'info', '--seller', 'Acme', '--purpose', 'informational', '--dialing', 'autodialed')
    const us = join(dw.dataDir, '..', 'us.txt')
    writeFileSync(us, '305,2000801\n')
    await dw.ok('registry', 'import', '--registry', 'us-national', '--file', us, '--as-of', '2026-11-25', '--area-codes', '203,305,213')
    const ca = join(dw.dataDir, '..', 'ca.txt')
    writeFileSync(ca, '416,2000801\n')
    await dw.ok('registry', 'import', '--registry', 'ca-national', '--file', ca, '--as-of', '2026-11-25')
    for (const p of ['+13052000801', '+14162000801', '+12132000850', '+442079460850', '+13052000802']) {
      await dw.ok('consent', 'grant', '--phone', p, '--seller', 'Acme', '--kind', 'express', '--at', '2026-01-01')
    }
    // the info campaign abandoned 1 of 2 live-answered calls ten days ago, none in the last 24 hours
    await dw.ok('calls', 'record', '--phone', '+12132000801', '--campaign', 'info', '--at', '2026-11-21T18:00:00Z', '--outcome', 'answered')
    await dw.ok('calls', 'record', '--phone', '+12132000802', '--campaign', 'info', '--at', '2026-11-21T18:01:00Z', '--outcome', 'abandoned')
    // three informational calls to a Florida number: they do not count toward the marketing cap
    for (const at of ['2026-12-01T14:00:00Z', '2026-12-01T15:00:00Z', '2026-12-01T16:00:00Z']) {
      await dw.ok('calls', 'record', '--phone', '+13052000802', '--campaign', 'info', '--at', at, '--outcome', 'answered')
    }
    srv = await testServer(dw)
    dialer = (await srv.key('dialer')).key
  }, 300_000)
  afterAll(async () => {
    await srv?.close()
    await dw?.dispose()
  })

  const cases: Array<{ campaign: string; phone: string; at: string; state?: string; expect: string[] }> = [
    { campaign: 'mkt', phone: '+12032000801', at: '2026-12-01T16:30:00Z', state: 'WA', expect: ['CALLING_HOURS'] },
    { campaign: 'mkt', phone: '+14162000801', at: '2026-12-01T18:00:00Z', expect: [] },
    { campaign: 'mkt', phone: '+13052000801', at: '2026-12-01T18:00:00Z', expect: ['NATIONAL_DNC'] },
    { campaign: 'info', phone: '+12132000850', at: '2026-12-01T18:00:00Z', expect: ['ABANDON_RATE'] },
    { campaign: 'info', phone: '+442079460850', at: '2026-12-01T18:00:00Z', expect: [] },
    { campaign: 'mkt', phone: '+13052000802', at: '2026-12-01T17:00:00Z', expect: [] },
    { campaign: 'info', phone: '+44 20 7946 000', at: '2026-12-01T18:00:00Z', expect: ['INVALID_NUMBER'] },
  ]

  it('answers each case as the CLI does, singly and in a batch', async () => {
    const post = async (body: unknown): Promise<unknown> => {
      const r = await srv.app.inject({ method: 'POST', url: '/v1/check', headers: { authorization: `Bearer ${dialer}`, 'content-type': 'application/json' }, payload: JSON.stringify(body) })
      expect(r.statusCode, r.body).toBe(200)
      return r.json()
    }
    const strip = ({ decisionId: _, ...rest }: Check): Omit<Check, 'decisionId'> => rest
    for (const c of cases) {
      const cli = await dw.json<Check>('check', '--campaign', c.campaign, '--phone', c.phone, '--at', c.at, ...(c.state ? ['--state', c.state] : []))
      expect(cli.reasons.map((r) => r.code), c.phone).toEqual(c.expect)
      const http = (await post({ campaign: c.campaign, phone: c.phone, at: c.at, ...(c.state ? { state: c.state } : {}) })) as Check
      expect(strip(http), c.phone).toEqual(strip(cli))
      const batch = (await post({ campaign: c.campaign, at: c.at, numbers: [{ phone: c.phone, ...(c.state ? { state: c.state } : {}) }] })) as { results: Check[] }
      expect(strip(batch.results[0]!), c.phone).toEqual(strip(cli))
    }
  })
})
