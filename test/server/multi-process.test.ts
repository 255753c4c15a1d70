import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dialects, installation, type Installation } from '../support/cli.js'
import { serveProcess, type ServerProcess } from '../support/server-process.js'
import { openData } from '../support/open-data.js'

const AT = '2026-12-01T18:00:00Z'

async function post(url: string, key: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: r.status, json: (await r.json()) as Record<string, unknown> }
}

const codes = (doc: Record<string, unknown>): string[] => (doc['reasons'] as Array<{ code: string }>).map((r) => r.code)

/** Polls `f` every 25 ms until it is true; returns the milliseconds it took, or fails after `limit`. */
async function within(limit: number, f: () => Promise<boolean>): Promise<number> {
  const start = Date.now()
  for (;;) {
    if (await f()) return Date.now() - start
    if (Date.now() - start > limit) throw new Error(`not seen within ${limit} ms`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

describe.each(dialects())('writes are seen by every server within a second (%s)', (dialect) => {
  let dw: Installation
  let a: ServerProcess
  let b: ServerProcess
  let key: string
  beforeAll(async () => {
    dw = await installation(dialect)
    await dw.ok('campaign', 'add', '--id', 'info', '--seller', 'Acme', '--purpose', 'informational', '--dialing', 'autodialed')
    await dw.ok('campaign', 'add', '--id', 'mkt', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'manual')
    key = (await dw.json<{ key: string }>('apikey', 'create', '--role', 'admin', '--name', 'two servers')).key
    a = await serveProcess(dw.env)
    b = await serveProcess(dw.env)
  }, 300_000)
  afterAll(async () => {
    await a?.stop()
    await b?.stop()
    await dw?.dispose()
  })

  it('a revocation accepted by one server is honored by the other within 1 second', async () => {
    for (let i = 0; i < 5; i++) {
      const phone = `+130520010${i}0`
      expect((await post(`${a.url}/v1/consents`, key, { phone, seller: 'Acme', kind: 'express', at: '2026-11-01T10:00:00Z' })).status).toBe(200)
      await within(1_000, async () => (await post(`${b.url}/v1/check`, key, { campaign: 'info', phone, at: AT })).json['verdict'] === 'allow')
      const r = await post(`${a.url}/v1/consents/revocations`, key, { phone, at: '2026-11-20T10:00:00Z' })
      expect(r.status).toBe(200)
      const took = await within(1_000, async () => codes((await post(`${b.url}/v1/check`, key, { campaign: 'info', phone, at: AT })).json).includes('CONSENT_REVOKED'))
      expect(took).toBeLessThanOrEqual(1_000)
    }
  })

  it('a do-not-call entry written by the command line is seen by a running server within 1 second', async () => {
    const phone = '+13052000201'
    expect(codes((await post(`${a.url}/v1/check`, key, { campaign: 'mkt', phone, at: AT })).json)).not.toContain('INTERNAL_DNC')
    await dw.ok('dnc', 'add', '--phone', phone, '--at', '2026-11-20')
    await within(1_000, async () => codes((await post(`${a.url}/v1/check`, key, { campaign: 'mkt', phone, at: AT })).json).includes('INTERNAL_DNC'))
  })

  it('a revoked API key is refused by every server within 1 second', async () => {
    const k = await dw.json<{ id: string; key: string }>('apikey', 'create', '--role', 'dialer', '--name', 'to revoke')
    expect((await post(`${b.url}/v1/check`, k.key, { campaign: 'mkt', phone: '+13052000202', at: AT })).status).toBe(200)
    await dw.ok('apikey', 'revoke', '--id', k.id)
    await within(1_000, async () => (await post(`${b.url}/v1/check`, k.key, { campaign: 'mkt', phone: '+13052000202', at: AT })).status === 401)
  })

  it('stops on SIGTERM with exit code 0, every answered decision in the log', async () => {
    const c = await serveProcess(dw.env)
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => post(`${c.url}/v1/check`, key, { campaign: 'mkt', phone: `+130520003${String(i).padStart(2, '0')}`, at: AT })))
    expect(await c.stop()).toBe(0)
    const data = await openData(dw.dataDir, dw.env, 'existing')
    try {
      const ids = answers.map((a) => String(a.json['decisionId']))
      expect((await data.infra.repos.decisions.byIds(data.db, ids)).map((d) => d.id).sort()).toEqual([...ids].sort())
    } finally {
      await data.close()
    }
  })
})
