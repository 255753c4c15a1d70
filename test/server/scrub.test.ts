import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { dialects, installation, type Installation } from '../support/cli.js'
import { testServer, type TestServer } from '../support/server.js'

const AT = '2026-12-01T18:00:00Z'
const PHONES = ['+13052000701', '(305) 200-0702', '305.200.0703', '+13052000704', 'not a number', '+12125550199']

/** `POST /v1/scrub` streams the scrubbed list back; every row says what `POST /v1/check` says. */
describe.each(dialects())('scrub over HTTP (%s)', (dialect) => {
  let dw: Installation
  let srv: TestServer
  let dialer: string
  const scrub = (query: string, csv: string, key = dialer) =>
    srv.app.inject({ method: 'POST', url: `/v1/scrub?${query}`, headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' }, payload: csv })

  beforeAll(async () => {
    dw = await installation(dialect)
    await dw.ok('campaign', 'add', '--id', 'mkt', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'manual')
    const registry = join(dw.dataDir, '..', '305.txt')
    writeFileSync(registry, '3052000701\n3052000703\n')
    await dw.ok('registry', 'import', '--registry', 'us-national', '--file', registry, '--as-of', '2026-11-28')
    await dw.ok('consent', 'grant', '--phone', '+13052000703', '--seller', 'Acme', '--kind', 'written', '--at', '2026-11-01T10:00:00Z', '--disclosure', 'I agree.')
    await dw.ok('dnc', 'add', '--phone', '+13052000704', '--seller', 'Acme', '--at', '2026-11-02T10:00:00Z')
    srv = await testServer(dw)
    dialer = (await srv.key('dialer')).key
  }, 300_000)
  afterAll(async () => {
    await srv?.close()
    await dw?.dispose()
  })

  it('answers every row in input order as check does, with the run summary in the trailer', async () => {
    const csv = `name,Phone Number\r\n${PHONES.map((p, i) => `n${i},"${p}"`).join('\r\n')}\r\n`
    const r = await scrub(`campaign=mkt&at=${AT}`, csv)
    expect(r.statusCode, r.body).toBe(200)
    expect(r.headers['content-type']).toContain('text/csv')
    expect(r.body).toContain('\r\n')
    const rows = parse(r.body, { columns: true }) as Record<string, string>[]
    expect(rows.map((row) => row['name'])).toEqual(PHONES.map((_, i) => `n${i}`))
    for (const [i, row] of rows.entries()) {
      if (PHONES[i] === 'not a number') {
        expect(row['dialward_reasons']).toBe('INVALID_NUMBER')
        continue
      }
      const c = (await srv.app.inject({ method: 'POST', url: '/v1/check', headers: { authorization: `Bearer ${dialer}`, 'content-type': 'application/json' }, payload: JSON.stringify({ campaign: 'mkt', phone: PHONES[i], at: AT }) })).json() as { verdict: string; reasons: Array<{ code: string }> }
      expect(row['dialward_verdict'], PHONES[i]).toBe(c.verdict)
      expect(row['dialward_reasons'], PHONES[i]).toBe(c.reasons.map((x) => x.code).join(';'))
    }
    expect(rows[0]!['dialward_reasons']).toBe('NATIONAL_DNC')
    expect(rows[2]!['dialward_verdict']).toBe('allow')
    expect(rows[3]!['dialward_reasons']).toBe('INTERNAL_DNC')
    const summary = JSON.parse(String(r.trailers['dialward-scrub-summary'])) as { rows: number; allowed: number; blocked: number; invalid: number; runId: string }
    expect(summary.rows).toBe(PHONES.length)
    expect(summary.allowed + summary.blocked).toBe(PHONES.length)
    expect(summary.invalid).toBe(1)
    expect(summary.allowed).toBe(rows.filter((row) => row['dialward_verdict'] === 'allow').length)
    expect(summary.runId).toMatch(/^scrub_/)
  })

  it('refuses an unknown campaign and a list without a phone column before answering, and a JSON body', async () => {
    const unknown = await scrub(`campaign=nope&at=${AT}`, 'phone\n3052000702\n')
    expect(unknown.statusCode).toBe(404)
    expect((unknown.json() as { error: { code: string } }).error.code).toBe('UNKNOWN_CAMPAIGN')
    const noPhone = await scrub(`campaign=mkt&at=${AT}`, 'name,city\nAda,Miami\n')
    expect(noPhone.statusCode).toBe(400)
    const json = await srv.app.inject({ method: 'POST', url: '/v1/scrub?campaign=mkt', headers: { authorization: `Bearer ${dialer}`, 'content-type': 'application/json' }, payload: '{}' })
    expect(json.statusCode).toBe(400)
  })
})
