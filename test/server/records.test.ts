import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { dialects, installation, type Installation } from '../support/cli.js'
import { testServer, type TestServer } from '../support/server.js'

const AT = '2026-12-01T18:00:00Z'

/** The proof and retention routes answer what their CLI commands answer, over the same services. */
describe.each(dialects())('audit, evidence, retention and key routes (%s)', (dialect) => {
  let dw: Installation
  let srv: TestServer
  let admin: string
  let auditor: string
  let dialer: string
  const req = (method: 'GET' | 'POST', url: string, key: string, body?: unknown) =>
    srv.app.inject({ method, url, headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { payload: JSON.stringify(body) }) })

  beforeAll(async () => {
    dw = await installation(dialect)
    await dw.ok('campaign', 'add', '--id', 'info', '--seller', 'Acme', '--purpose', 'informational', '--dialing', 'autodialed')
    await dw.ok('campaign', 'add', '--id', 'mkt', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'manual')
    srv = await testServer(dw)
    admin = (await srv.key('admin')).key
    auditor = (await srv.key('auditor')).key
    dialer = (await srv.key('dialer')).key
  }, 300_000)
  afterAll(async () => {
    await srv?.close()
    await dw?.dispose()
  })

  it('serves the evidence of a number as the CLI does, including decisions made by the server', async () => {
    expect((await req('POST', '/v1/consents', admin, { phone: '+13052000501', seller: 'Acme', kind: 'express', at: '2026-11-01T10:00:00Z', disclosure: 'I agree.' })).statusCode).toBe(200)
    const check = (await req('POST', '/v1/check', dialer, { campaign: 'info', phone: '+13052000501', at: AT })).json() as { verdict: string; decisionId: string }
    expect(check.verdict).toBe('allow')
    const r = await req('POST', '/v1/evidence', auditor, { phone: '(305) 200-0501' })
    expect(r.statusCode, r.body).toBe(200)
    const doc = r.json() as { consentEvents: Array<{ disclosure: { text: string } | null }>; decisions: Array<{ id: string; auditSeq: number | null }> }
    expect(doc.consentEvents[0]!.disclosure!.text).toBe('I agree.')
    const decision = doc.decisions.find((d) => d.id === check.decisionId)
    expect(decision?.auditSeq, 'the batch entry that logged it').toEqual(expect.any(Number))
    const pkg = await req('POST', '/v1/evidence/package', auditor, { phone: '+13052000501' })
    expect(pkg.statusCode).toBe(200)
    expect(pkg.headers['content-type']).toBe('application/zip')
    const file = join(dw.dataDir, '..', 'evidence.zip')
    writeFileSync(file, pkg.rawPayload)
    const verified = await dw.run('evidence', 'verify', file, '--json')
    expect(verified.code, verified.stderr).toBe(0)
  })

  it('verifies the audit log and proves an entry', async () => {
    const v = (await req('GET', '/v1/audit/verify', auditor)).json() as { ok: boolean; entries: number }
    expect(v).toMatchObject({ ok: true })
    const p = await req('GET', '/v1/audit/proof?entry=0', auditor)
    expect(p.statusCode, p.body).toBe(200)
    expect((p.json() as { inclusionProof: string[] }).inclusionProof).toEqual(expect.any(Array))
  })

  it('places and releases a legal hold, forecasts and dry-runs a purge', async () => {
    const hold = await req('POST', '/v1/holds', admin, { id: 'case-1', reason: 'litigation', phone: '+13052000501' })
    expect(hold.statusCode, hold.body).toBe(200)
    expect((await req('GET', '/v1/holds', auditor)).json()).toMatchObject({ holds: [{ id: 'case-1', scope: 'phone', active: true }] })
    expect((await req('POST', '/v1/holds', admin, { id: 'case-2', reason: 'x', phone: '+13052000501', all: true })).statusCode).toBe(400)
    expect((await req('POST', '/v1/holds/release', admin, { id: 'case-1' })).json()).toMatchObject({ id: 'case-1', active: false })
    expect((await req('GET', '/v1/retention/forecast', auditor)).statusCode).toBe(200)
    const dry = (await req('POST', '/v1/retention/run', admin, { dryRun: true })).json() as { dryRun: boolean }
    expect(dry.dryRun).toBe(true)
  })

  it('rotates the key-encryption key through the server and keeps deciding and recording', async () => {
    const before = (await req('GET', '/v1/keys', auditor)).json() as { keks: Array<{ id: string; state: string }> }
    const r = await req('POST', '/v1/keys/rotate', admin)
    expect(r.statusCode, r.body).toBe(200)
    const after = (await req('GET', '/v1/keys', auditor)).json() as { keks: Array<{ id: string; state: string }> }
    expect(after.keks.length).toBe(before.keks.length + 1)
    expect((await req('POST', '/v1/consents', admin, { phone: '+13052000502', seller: 'Acme', kind: 'express', at: '2026-11-01T10:00:00Z', disclosure: 'Yes.' })).statusCode).toBe(200)
    const doc = (await req('POST', '/v1/evidence', auditor, { phone: '+13052000501' })).json() as { consentEvents: Array<{ disclosure: { text: string } | null }> }
    expect(doc.consentEvents[0]!.disclosure!.text).toBe('I agree.')
    expect(((await req('POST', '/v1/check', dialer, { campaign: 'info', phone: '+13052000502', at: AT })).json() as { verdict: string }).verdict).toBe('allow')
  })

  it('erases a person on request; the number stays suppressed', async () => {
    const r = await req('POST', '/v1/erasures', admin, { phone: '+13052000502' })
    expect(r.statusCode, r.body).toBe(200)
    const doc = (await req('POST', '/v1/check', dialer, { campaign: 'mkt', phone: '+13052000502', at: new Date(Date.now() + 60_000).toISOString() })).json() as { verdict: string; reasons: Array<{ code: string }> }
    expect(doc.reasons.map((x) => x.code)).toContain('INTERNAL_DNC')
  })
})
