import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dialects, installation, type Installation } from '../support/cli.js'
import { testServer, type TestServer } from '../support/server.js'
import { zipOf } from '../support/zip.js'

const AT = '2026-12-01T18:00:00Z'

const spooled = (): string[] => readdirSync(tmpdir()).filter((n) => n.startsWith('dialward-registry-'))

/** `POST /v1/registries/import` imports a delivered file as `registry import` does, and the server's answers follow at once. */
describe.each(dialects())('registry import over HTTP (%s)', (dialect) => {
  let dw: Installation
  let srv: TestServer
  let compliance: string
  let dialer: string
  const upload = (query: string, body: Buffer | string, type = 'application/octet-stream', key = compliance) =>
    srv.app.inject({ method: 'POST', url: `/v1/registries/import?${query}`, headers: { authorization: `Bearer ${key}`, 'content-type': type }, payload: body })
  const check = async (phone: string) =>
    (await srv.app.inject({ method: 'POST', url: '/v1/check', headers: { authorization: `Bearer ${dialer}`, 'content-type': 'application/json' }, payload: JSON.stringify({ campaign: 'mkt', phone, at: AT }) })).json() as { verdict: string; reasons: Array<{ code: string; message: string }> }

  beforeAll(async () => {
    dw = await installation(dialect)
    await dw.ok('campaign', 'add', '--id', 'mkt', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'manual')
    srv = await testServer(dw)
    compliance = (await srv.key('compliance')).key
    dialer = (await srv.key('dialer')).key
  }, 300_000)
  afterAll(async () => {
    await srv?.close()
    await dw?.dispose()
  })

  it('imports one area code from a ZIP body; its numbers block at once, other area codes stay stale', async () => {
    expect((await check('+13052000601')).reasons.map((r) => r.code)).toContain('REGISTRY_STALE')
    const before = spooled().length
    const r = await upload('registry=us-national&asOf=2026-11-28', zipOf([{ name: '305.txt', text: '3052000601\n3052000603\n' }]), 'application/zip')
    expect(r.statusCode, r.body).toBe(200)
    const report = r.json() as { numbers: number; areaCodes: string[]; full: boolean; entries: unknown[] }
    expect(report.numbers).toBe(2)
    expect(report.areaCodes).toEqual(['305'])
    expect(report.full).toBe(false)
    expect(spooled().length).toBe(before)
    const listed = await check('+13052000601')
    expect(listed.verdict).toBe('block')
    expect(listed.reasons.map((r) => r.code)).toEqual(['NATIONAL_DNC'])
    expect((await check('+13052000602')).verdict).toBe('allow')
    const other = await check('+12125550123')
    expect(other.verdict).toBe('block')
    expect(other.reasons.find((r) => r.code === 'REGISTRY_STALE')?.message).toContain('212')
  })

  it('refuses a future as-of date, an empty file and a bad registry id with 400, and keeps the version in force', async () => {
    const future = await upload('registry=us-national&asOf=2027-01-01', '3052000602\n')
    expect(future.statusCode).toBe(400)
    expect((future.json() as { error: { code: string } }).error.code).toBe('INVALID_INPUT')
    const empty = await upload('registry=us-national&asOf=2026-11-29', '')
    expect(empty.statusCode).toBe(400)
    const bad = await upload('registry=us-moon&asOf=2026-11-29', '3052000602\n')
    expect(bad.statusCode).toBe(400)
    expect((bad.json() as { error: { message: string } }).error.message).toContain('registry')
    expect((await check('+13052000601')).verdict).toBe('block')
    expect((await check('+13052000602')).verdict).toBe('allow')
  })

  it('refuses a dialer key (403) and a JSON body (400)', async () => {
    expect((await upload('registry=us-national&asOf=2026-11-28', '3052000602\n', 'application/octet-stream', dialer)).statusCode).toBe(403)
    expect((await upload('registry=us-national&asOf=2026-11-28', '{"a":1}', 'application/json')).statusCode).toBe(400)
  })
})
