import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renameSync } from 'node:fs'
import { join } from 'node:path'
import { dialects, installation, type Installation } from '../support/cli.js'
import { testServer, type TestServer } from '../support/server.js'

const AT = '2026-12-01T18:00:00Z'

/** Readiness fails closed, logs carry no personal data, metrics count decisions, shutdown flushes. */
describe.each(dialects())('server operations (%s)', (dialect) => {
  let dw: Installation
  let srv: TestServer
  let dialer: string
  beforeAll(async () => {
    dw = await installation(dialect)
    await dw.ok('campaign', 'add', '--id', 'info', '--seller', 'Acme', '--purpose', 'informational', '--dialing', 'manual')
    srv = await testServer(dw)
    dialer = (await srv.key('dialer')).key
  }, 300_000)
  afterAll(async () => {
    await srv?.close()
    await dw?.dispose()
  })
  const check = (phone: string) =>
    srv.app.inject({ method: 'POST', url: '/v1/check', headers: { authorization: `Bearer ${dialer}`, 'content-type': 'application/json' }, payload: JSON.stringify({ campaign: 'info', phone, at: AT }) })

  it('plants canaries in numbers, addresses, user agents and evidence: none reaches the logs', async () => {
    const admin = (await srv.key('admin')).key
    const canaries = { phone: '+13057770123', ip: '198.51.100.77', ua: 'CanaryAgent/7.7', words: 'canary-words-7731', disclosure: 'canary disclosure 7732' }
    const r = await srv.app.inject({
      method: 'POST',
      url: '/v1/consents?x=3057770123',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json', 'user-agent': canaries.ua, 'x-forwarded-for': canaries.ip },
      payload: JSON.stringify({ phone: canaries.phone, seller: 'Acme', kind: 'written', disclosure: canaries.disclosure, ip: canaries.ip }),
    })
    expect(r.statusCode, r.body).toBe(200)
    await srv.app.inject({ method: 'POST', url: '/v1/consents/revocations', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, payload: JSON.stringify({ phone: canaries.phone, words: canaries.words }) })
    await srv.app.inject({ method: 'POST', url: '/v1/consents', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, payload: JSON.stringify({ phone: 'not a 3057770123 number', seller: 'Acme', kind: 'written' }) })
    expect((await check(canaries.phone)).statusCode).toBe(200)
    const logs = srv.logs()
    expect(logs).toContain('"statusCode":200') // the request log is there
    for (const needle of ['3057770123', '305-777', canaries.ip, canaries.ua, canaries.words, canaries.disclosure, admin.slice(4, 20)]) expect(logs, needle).not.toContain(needle)
  })

  it('counts decisions by verdict and reason in /metrics', async () => {
    expect((await check('+13052000001')).statusCode).toBe(200)
    const m = await srv.app.inject({ method: 'GET', url: '/metrics' })
    expect(m.statusCode).toBe(200)
    expect(m.body).toMatch(/dialward_decisions_total\{verdict="(allow|block)"\} \d+/)
    expect(m.body).toMatch(/dialward_decision_log_batch_size_count \d+/)
    expect(m.body).toContain('dialward_http_request_duration_seconds_bucket')
  })

  it('serves the OpenAPI document and a browsable docs page without a key', async () => {
    const doc = await srv.app.inject({ method: 'GET', url: '/openapi.json' })
    expect(doc.json()).toMatchObject({ openapi: '3.1.0', paths: { '/v1/check': { post: expect.anything() } } })
    const page = await srv.app.inject({ method: 'GET', url: '/docs/' })
    expect(page.statusCode).toBe(200)
    expect(page.body).toMatch(/swagger/i)
  })

  it('answers 503 on /readyz and on check, never allow, when the keyring goes away; recovers when it is back', async () => {
    expect((await srv.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200)
    const keyring = join(dw.dataDir, 'keyring.json')
    renameSync(keyring, `${keyring}.away`)
    try {
      await new Promise((r) => setTimeout(r, 1_100)) // readiness is re-checked at most once a second
      const ready = await srv.app.inject({ method: 'GET', url: '/readyz' })
      expect(ready.statusCode).toBe(503)
      const c = await check('+13052000001')
      expect(c.statusCode).toBe(503)
      expect(c.json()).toMatchObject({ error: { code: 'KEY_UNAVAILABLE' } })
      expect(c.body).not.toContain('allow')
    } finally {
      renameSync(`${keyring}.away`, keyring)
    }
    await new Promise((r) => setTimeout(r, 1_100))
    expect((await check('+13052000001')).statusCode).toBe(200)
  })

  it('every decision is durable before its answer: each answered decision id is in the decision log', async () => {
    const ids: string[] = []
    await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const r = await check(`+1305200${String(1000 + i)}`)
        ids.push((r.json() as { decisionId: string }).decisionId)
      }),
    )
    const rows = await srv.server.services.infra.repos.decisions.byIds(srv.server.services.infra.store.db, ids)
    expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort())
  })
})
