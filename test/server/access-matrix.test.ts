import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ACCESS, accessKey } from '../../src/server/access.js'
import { ROLES, type Role } from '../../src/app/context.js'
import { dialects, installation, type Installation } from '../support/cli.js'
import { testServer, type TestServer } from '../support/server.js'

/**
 * Every registered route × every role × every kind of bad key: a route without an entry in the
 * role table, a table entry without a route, or an answer other than the table says, fails.
 */
describe.each(dialects())('route × role × key matrix (%s)', (dialect) => {
  let dw: Installation
  let srv: TestServer
  const keys = {} as Record<Role, string>
  let revoked: string
  let expired: string

  beforeAll(async () => {
    dw = await installation(dialect)
    await dw.ok('campaign', 'add', '--id', 'm', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'manual')
    srv = await testServer(dw, { DIALWARD_AUTH_FAILURES_PER_MINUTE: '100000' })
    for (const role of ROLES) keys[role] = (await srv.key(role)).key
    const r = await srv.key('admin', 'to revoke')
    await srv.server.services.apiKeys.revoke({ actor: 'test', role: 'admin', requestId: 'x' }, r.id)
    revoked = r.key
    expired = (await srv.key('admin', 'expiring', Date.now() + 1_500)).key
    await new Promise((res) => setTimeout(res, 1_600))
  }, 300_000)
  afterAll(async () => {
    await srv?.close()
    await dw?.dispose()
  })

  const call = async (method: string, url: string, key: string | null): Promise<number> => {
    const path = url.replace(/:(\w+)/g, 'x')
    const r = await srv.app.inject({
      method: method as 'GET',
      url: path,
      headers: { ...(key === null ? {} : { authorization: `Bearer ${key}` }), ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) },
      ...(method === 'GET' ? {} : { payload: '{}' }),
    })
    return r.statusCode
  }

  it('registers exactly the routes of the role table', () => {
    const registered = srv.server.routes.map((r) => accessKey(r.method, r.url)).sort()
    expect(registered).toEqual(Object.keys(ACCESS).sort())
  })

  it('answers every route as the role table says, for every role and every bad key', async () => {
    const unknown = `dwk_${'a'.repeat(16)}_${'B'.repeat(43)}`
    let checked = 0
    for (const { method, url } of srv.server.routes) {
      const access = ACCESS[accessKey(method, url)]!
      const label = `${method} ${url}`
      if (access === 'public') {
        expect(await call(method, url, null), label).toBeLessThan(400)
        checked++
        continue
      }
      const allowed: readonly string[] = Array.isArray(access) ? access : (access as { signed: readonly string[] }).signed
      for (const bad of [null, unknown, 'not-a-key', revoked, expired]) {
        expect(await call(method, url, bad), `${label} with ${bad === null ? 'no key' : 'a bad key'}`).toBe(401)
        checked++
      }
      for (const role of ROLES) {
        const status = await call(method, url, keys[role])
        if (allowed.includes(role)) expect([401, 403], `${label} as ${role}`).not.toContain(status)
        else expect(status, `${label} as ${role}`).toBe(403)
        checked++
      }
    }
    expect(checked).toBeGreaterThan(100)
  }, 300_000)

  it('records refused authentications without the presented key', async () => {
    const secret = `dwk_${'c'.repeat(16)}_${'D'.repeat(43)}`
    expect(await call('POST', '/v1/check', secret)).toBe(401)
    const refusals = await srv.server.services.infra.repos.refusals.recent(srv.server.services.infra.store.db, 50)
    expect(refusals.some((r) => r.code === 'UNAUTHENTICATED' && r.action.includes('/v1/check'))).toBe(true)
    expect(JSON.stringify(refusals)).not.toContain('DDDDDDDD')
  })

  it('rate-limits failed authentications with 429 and Retry-After, and still lets a valid key through', async () => {
    const limitedServer = await testServer(dw, { DIALWARD_AUTH_FAILURES_PER_MINUTE: '5' })
    try {
      const statuses: number[] = []
      let retry: string | undefined
      for (let i = 0; i < 8; i++) {
        const r = await limitedServer.app.inject({ method: 'GET', url: '/v1/campaigns', headers: { authorization: 'Bearer wrong' } })
        statuses.push(r.statusCode)
        if (r.statusCode === 429) retry = r.headers['retry-after'] as string | undefined
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429])
      expect(Number(retry)).toBeGreaterThan(0)
      const ok = await limitedServer.app.inject({ method: 'GET', url: '/v1/campaigns', headers: { authorization: `Bearer ${keys.auditor}` } })
      expect(ok.statusCode).toBe(200)
    } finally {
      await limitedServer.close()
    }
  })

  it('names the key as the actor of every audit entry it causes', async () => {
    const r = await srv.app.inject({ method: 'POST', url: '/v1/dnc', headers: { authorization: `Bearer ${keys.compliance}`, 'content-type': 'application/json' }, payload: JSON.stringify({ phone: '+13052000001' }) })
    expect(r.statusCode).toBe(200)
    const id = (r.json() as { id: string }).id
    const entries = await srv.server.services.infra.repos.auditLog.entries(srv.server.services.infra.store.db)
    const entry = entries.find((e) => e.action === 'dnc.add' && e.data['entry'] === id)!
    const key = (await srv.server.services.apiKeys.list()).find((k) => k.role === 'compliance')!
    expect(entry.actor).toBe(`key:${key.id}:${key.name}`)
  })
})
