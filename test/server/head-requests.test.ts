import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { installation, type Installation } from '../support/cli.js'
import { testServer, type TestServer } from '../support/server.js'

/** `HEAD` (fastify answers it for every GET route) follows the role table of the GET: public stays public, keyed stays keyed. */
describe('HEAD requests', () => {
  let dw: Installation
  let srv: TestServer
  beforeAll(async () => {
    dw = await installation('sqlite')
    srv = await testServer(dw, { DIALWARD_LOG_LEVEL: 'silent' })
  }, 300_000)
  afterAll(async () => {
    await srv?.close()
    await dw?.dispose()
  })

  it('answers a public route as its GET does, and refuses a keyed route without a key or with the wrong role', async () => {
    const head = async (url: string, key?: string) => (await srv.app.inject({ method: 'HEAD', url, headers: key ? { authorization: `Bearer ${key}` } : {} })).statusCode
    expect(await head('/healthz')).toBe(200)
    expect(await head('/')).toBe(200)
    expect(await head('/openapi.json')).toBe(200)
    expect(await head('/v1/campaigns')).toBe(401)
    expect(await head('/v1/campaigns', (await srv.key('auditor')).key)).toBe(200)
    expect(await head('/v1/apikeys', (await srv.key('compliance')).key)).toBe(403)
  })
})
