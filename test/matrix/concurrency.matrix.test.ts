import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { dialects, installation, type Installation } from '../support/cli.js'
import { serveProcess, type ServerProcess } from '../support/server-process.js'
import { post } from '../support/http.js'

/**
 * The concurrency matrix (issue 13, item 7): the command line and servers write (`dnc add`,
 * `consent revoke`, by CLI and HTTP) and check (CLI and every server) at once; the history (the
 * acknowledgement time of each write, the start time and verdict of each check) is then checked:
 * no check that STARTED after a write to its number was acknowledged may answer `allow`. SQLite
 * with one server beside the CLI; PostgreSQL with two servers on one database beside the CLI.
 */

const AT = '2026-12-01T18:00:00Z'
const WRITTEN_AT = '2026-11-20T10:00:00Z'
const PER_KIND = 8

interface Write {
  readonly phone: string
  readonly via: string
  ackAt: number
}
interface Check {
  readonly phone: string
  readonly via: string
  readonly startAt: number
  readonly verdict: string
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

describe.each(dialects())('the concurrency matrix (%s)', (dialect) => {
  let dw: Installation
  let servers: ServerProcess[] = []
  let key: string
  // revocations end consent (informational autodialed campaign); DNC entries block marketing calls
  const revoked = Array.from({ length: PER_KIND }, (_, i) => `+1305201${String(i).padStart(4, '0')}`)
  const listed = Array.from({ length: PER_KIND }, (_, i) => `+1305202${String(i).padStart(4, '0')}`)
  const campaignOf = (phone: string): string => (revoked.includes(phone) ? 'info' : 'mkt')

  beforeAll(async () => {
    dw = await installation(dialect)
    await dw.ok('campaign', 'add', '--id', 'info', '--seller', 'Acme', '--purpose', 'informational', '--dialing', 'autodialed')
    await dw.ok('campaign', 'add', '--id', 'mkt', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'manual')
    const file = join(dw.dataDir, '..', 'registry.txt')
    writeFileSync(file, '305,2999999\n')
    await dw.ok('registry', 'import', '--registry', 'us-national', '--file', file, '--as-of', '2026-11-25', '--area-codes', '305')
    key = (await dw.json<{ key: string }>('apikey', 'create', '--role', 'admin', '--name', 'matrix')).key
    servers = await Promise.all(Array.from({ length: dialect === 'postgres' ? 2 : 1 }, () => serveProcess(dw.env)))
    for (const phone of revoked) expect((await post(`${servers[0]!.url}/v1/consents`, key, { phone, seller: 'Acme', kind: 'express', at: '2026-11-01T10:00:00Z' })).status).toBe(200)
  }, 300_000)
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()))
    await dw?.dispose()
  })

  it('no check that started after a write was acknowledged answers allow', async () => {
    const writes: Write[] = []
    const checks: Check[] = []
    const all = [...revoked, ...listed]
    let writing = true

    const write = async (phone: string, i: number): Promise<void> => {
      const viaCli = i % (servers.length + 1) === servers.length
      const server = servers[i % (servers.length + 1)]
      const isRevocation = revoked.includes(phone)
      if (viaCli) {
        if (isRevocation) await dw.ok('consent', 'revoke', '--phone', phone, '--at', WRITTEN_AT)
        else await dw.ok('dnc', 'add', '--phone', phone, '--at', WRITTEN_AT)
      } else {
        const r = await post(`${server!.url}${isRevocation ? '/v1/consents/revocations' : '/v1/dnc'}`, key, { phone, at: WRITTEN_AT })
        expect(r.status, JSON.stringify(r.json)).toBe(200)
      }
      writes.push({ phone, via: viaCli ? 'cli' : `server ${i % (servers.length + 1)}`, ackAt: Date.now() })
    }
    const writers = (async () => {
      // writes spread over time, two at a time, interleaving CLI and servers
      const order = all.map((p, i) => [p, i] as const).sort((a, b) => ((a[1] * 7) % all.length) - ((b[1] * 7) % all.length))
      for (let k = 0; k < order.length; k += 2) {
        await Promise.all(order.slice(k, k + 2).map(([p, i]) => write(p, i)))
        await sleep(50)
      }
      writing = false
    })()

    let n = 0
    const pick = (): string => all[n++ % all.length]!
    const httpChecker = async (s: ServerProcess, name: string): Promise<void> => {
      while (writing) {
        const phone = pick()
        const startAt = Date.now()
        const r = await post(`${s.url}/v1/check`, key, { campaign: campaignOf(phone), phone, at: AT })
        expect(r.status, JSON.stringify(r.json)).toBe(200)
        checks.push({ phone, via: name, startAt, verdict: String(r.json['verdict']) })
      }
    }
    const cliChecker = async (): Promise<void> => {
      while (writing) {
        const phone = pick()
        const startAt = Date.now()
        const r = await dw.json<{ verdict: string }>('check', '--campaign', campaignOf(phone), '--phone', phone, '--at', AT)
        checks.push({ phone, via: 'cli', startAt, verdict: r.verdict })
      }
    }
    await Promise.all([writers, cliChecker(), ...servers.flatMap((s, i) => [httpChecker(s, `server ${i}`), httpChecker(s, `server ${i}`)])])

    // after everything, every server and the CLI block every number
    for (const phone of all) {
      for (const [i, s] of servers.entries()) {
        const startAt = Date.now()
        checks.push({ phone, via: `server ${i}`, startAt, verdict: String((await post(`${s.url}/v1/check`, key, { campaign: campaignOf(phone), phone, at: AT })).json['verdict']) })
      }
    }
    const ack = new Map(writes.map((w) => [w.phone, w]))
    expect(ack.size).toBe(all.length)
    const violations = checks.filter((c) => c.verdict === 'allow' && c.startAt > ack.get(c.phone)!.ackAt)
    const described = violations.map((c) => `${c.phone} checked by ${c.via} ${c.startAt - ack.get(c.phone)!.ackAt} ms after ${ack.get(c.phone)!.via} acknowledged its write: allow`)
    expect(described).toEqual([])
    // the history is not vacuous: checks raced the writes (allow before, block after) on every checker
    expect(checks.filter((c) => c.verdict === 'allow').length).toBeGreaterThan(0)
    expect(checks.filter((c) => c.verdict === 'block' && c.startAt > ack.get(c.phone)!.ackAt).length).toBeGreaterThan(all.length)
    expect(new Set(checks.map((c) => c.via)).size).toBe(servers.length + 1)
  }, 180_000)
})
