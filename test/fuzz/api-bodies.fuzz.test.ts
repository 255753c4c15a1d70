import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { ERROR_CATALOGUE } from '../../src/core/errors.js'
import { installation, type Installation } from '../support/cli.js'
import { testServer, type TestServer } from '../support/server.js'
import { FUZZ_TIMEOUT, fuzzParams } from './fuzz-runs.js'

const FIELDS = ['phone', 'campaign', 'at', 'asOf', 'seller', 'kind', 'channel', 'registry', 'id', 'purpose', 'dialing', 'region', 'from', 'until', 'outcome', 'rows', 'numbers', 'state', 'zip', 'name', 'role', 'via', 'words', 'date', 'result', 'format', 'content']
const leaf = fc.oneof(fc.constantFrom('3052000002', '+442079460018', '2026-12-01', '9999-12-31', '1969-12-31T23:59:59Z', 'marketing', 'manual', 'admin', 'us-national', 'FL', '33101', '', 'x'.repeat(600)), fc.string({ maxLength: 12 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null))
const body = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 6 })), tie('v'), { maxKeys: 6 })),
})).v
const payload = fc.oneof(
  { weight: 4, arbitrary: body.map((b) => ({ type: 'application/json', data: JSON.stringify(b) ?? 'null' })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => ({ type: 'application/json', data: Buffer.from(b) })) },
  { weight: 1, arbitrary: fc.string({ maxLength: 100 }).map((s) => ({ type: fc.sample(fc.constantFrom('text/plain', 'text/csv', 'application/x-www-form-urlencoded', 'application/octet-stream'), 1)[0]!, data: s })) },
)

/** Every write route of the server gets arbitrary JSON and bytes: a 4xx with a catalogue code, or a 2xx — never a 500 or a hang. */
describe('fuzz: API bodies', () => {
  let dw: Installation
  let srv: TestServer
  let key: string
  let routes: Array<{ method: string; url: string }>

  beforeAll(async () => {
    dw = await installation('sqlite')
    await dw.ok('campaign', 'add', '--id', 'c', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'manual')
    srv = await testServer(dw, { DIALWARD_AUTH_FAILURES_PER_MINUTE: '100000' })
    key = (await srv.key('admin')).key
    routes = srv.server.routes.filter((r) => r.method !== 'GET' && r.method !== 'HEAD').map((r) => ({ method: r.method, url: r.url.replace(/:(\w+)/g, 'x') }))
  }, 300_000)
  afterAll(async () => {
    await srv?.close()
    await dw?.dispose()
  })

  it('has write routes to fuzz', () => {
    expect(routes.length).toBeGreaterThan(10)
  })

  it('answers any body on any write route with a 2xx or a 4xx carrying a catalogue code', async () => {
    const seen = new Set<string>()
    await fc.assert(
      fc.asyncProperty(fc.nat(), payload, async (pick, p) => {
        const route = routes[pick % routes.length]!
        seen.add(`${route.method} ${route.url}`)
        const r = await srv.app.inject({ method: route.method as 'POST', url: route.url, headers: { authorization: `Bearer ${key}`, 'content-type': p.type }, payload: p.data })
        const label = `${route.method} ${route.url} ${typeof p.data === 'string' ? p.data.slice(0, 200) : '<bytes>'}`
        expect(r.statusCode, `${label} → ${r.body.slice(0, 300)}`).toBeLessThan(500)
        if (r.statusCode >= 400) {
          const err = (r.json() as { error?: { code?: string } }).error
          expect(Object.keys(ERROR_CATALOGUE), `${label} → ${r.body.slice(0, 300)}`).toContain(err?.code)
        }
      }),
      fuzzParams(),
    )
    expect(seen.size).toBe(routes.length)
    expect(srv.logs()).not.toMatch(/"level":(50|60)/)
  }, FUZZ_TIMEOUT)
})
