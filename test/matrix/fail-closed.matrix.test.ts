import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { dialects, installation, runCli, type Installation } from '../support/cli.js'
import { serveProcess, type ServerProcess } from '../support/server-process.js'
import { testPostgresUrl } from '../support/postgres-url.js'
import { post, ready, untilReady } from '../support/http.js'

/**
 * The fail-closed matrix (issue 13, item 7): for each way the database, the keyring or the
 * registry can be missing or unusable, the command line's `check` stops with exit 1 and one line
 * on stderr (never a JSON `allow`), and a running server answers `/v1/check` and `/readyz` with
 * 503 (never `allow`); a missing or stale registry blocks with `REGISTRY_STALE`. Each case breaks
 * one thing, asserts, and restores it; a control check before and after shows the installation
 * allows when whole (so the refusals are the breakage's doing).
 *
 * As root `chmod 000` does not stop reads, so "unreadable" is made by replacing the file with
 * garbage bytes or with a directory.
 */

const AT = '2026-12-01T18:00:00Z'
const PHONE = '+13052000001'
/** An informational manual call: allowed with no facts at all, so only the breakage can stop it. */
const INFO = ['check', '--campaign', 'info', '--phone', PHONE, '--at', AT, '--json']

/** One way to break an installation; `restore` undoes it. */
interface Breakage {
  readonly name: string
  readonly dialects: ReadonlyArray<'sqlite' | 'postgres'>
  /** What the one stderr line must say. */
  readonly says: RegExp
  /** Breaks the installation; returns the env overrides the CLI then runs with (a wrong URL). */
  break(dw: Installation): Promise<Record<string, string>> | Record<string, string>
  restore(dw: Installation): Promise<void> | void
  /** Whether a running server can be shown the breakage (a wrong URL only concerns new processes). */
  readonly server: boolean
}

const dbFile = (dw: Installation): string => join(dw.dataDir, 'dialward.db')
const keyring = (dw: Installation): string => join(dw.dataDir, 'keyring.json')
const aside = (path: string): void => renameSync(path, `${path}.away`)
const back = (path: string): void => {
  rmSync(path, { recursive: true, force: true })
  renameSync(`${path}.away`, path)
}

/** The test database's name, and a superuser connection to switch its connections off and on. */
async function allowConnections(dw: Installation, allow: boolean): Promise<void> {
  const name = new URL(dw.env['DIALWARD_DATABASE_URL']!).pathname.slice(1)
  const admin = new pg.Client({ connectionString: testPostgresUrl()! })
  await admin.connect()
  try {
    await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS ${allow}`)
    if (!allow) await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name])
  } finally {
    await admin.end()
  }
}

const withUrl = (dw: Installation, f: (u: URL) => void): Record<string, string> => {
  const u = new URL(dw.env['DIALWARD_DATABASE_URL']!)
  f(u)
  return { DIALWARD_DATABASE_URL: u.toString() }
}

const BREAKAGES: readonly Breakage[] = [
  {
    name: 'database file missing',
    dialects: ['sqlite'],
    says: /database is missing/i,
    server: true,
    break: (dw) => (aside(dbFile(dw)), {}),
    restore: (dw) => back(dbFile(dw)),
  },
  {
    name: 'database file replaced by garbage bytes',
    dialects: ['sqlite'],
    says: /database/i,
    server: true,
    break: (dw) => {
      aside(dbFile(dw))
      writeFileSync(dbFile(dw), Buffer.alloc(8192, 0x5a), { mode: 0o600 })
      return {}
    },
    restore: (dw) => back(dbFile(dw)),
  },
  {
    name: 'database file replaced by a directory (unreadable)',
    dialects: ['sqlite'],
    says: /database/i,
    server: true,
    break: (dw) => {
      aside(dbFile(dw))
      mkdirSync(dbFile(dw))
      return {}
    },
    restore: (dw) => back(dbFile(dw)),
  },
  {
    name: 'database missing (the URL names no database)',
    dialects: ['postgres'],
    says: /database/i,
    server: false,
    break: (dw) => withUrl(dw, (u) => (u.pathname = '/dw_test_does_not_exist')),
    restore: () => undefined,
  },
  {
    name: 'database unreachable (nothing listens at the URL)',
    dialects: ['postgres'],
    says: /database/i,
    server: false,
    break: (dw) => withUrl(dw, (u) => (u.port = '1')),
    restore: () => undefined,
  },
  {
    name: 'database refusing connections (as when PostgreSQL stops)',
    dialects: ['postgres'],
    says: /database/i,
    server: true,
    break: async (dw) => (await allowConnections(dw, false), {}),
    restore: (dw) => allowConnections(dw, true),
  },
  {
    name: 'keyring missing',
    dialects: ['sqlite', 'postgres'],
    says: /keyring/i,
    server: true,
    break: (dw) => (aside(keyring(dw)), {}),
    restore: (dw) => back(keyring(dw)),
  },
  {
    name: 'keyring replaced by garbage bytes',
    dialects: ['sqlite', 'postgres'],
    says: /keyring/i,
    server: true,
    break: (dw) => {
      aside(keyring(dw))
      writeFileSync(keyring(dw), '{"version": 1, "keys": [garbage', { mode: 0o600 })
      return {}
    },
    restore: (dw) => back(keyring(dw)),
  },
  {
    name: 'keyring replaced by a directory (unreadable)',
    dialects: ['sqlite', 'postgres'],
    says: /keyring/i,
    server: true,
    break: (dw) => {
      aside(keyring(dw))
      mkdirSync(keyring(dw), { mode: 0o700 })
      return {}
    },
    restore: (dw) => back(keyring(dw)),
  },
]

describe.each(dialects())('the fail-closed matrix (%s)', (dialect) => {
  let dw: Installation
  const cases = BREAKAGES.filter((b) => b.dialects.includes(dialect))

  beforeAll(async () => {
    dw = await installation(dialect)
    await dw.ok('campaign', 'add', '--id', 'info', '--seller', 'Acme', '--purpose', 'informational', '--dialing', 'manual')
    await dw.ok('campaign', 'add', '--id', 'mkt', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'manual')
  }, 120_000)
  afterAll(async () => {
    await dw?.dispose()
  })

  const allows = async (): Promise<void> => {
    const r = await dw.run(...INFO)
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout).verdict).toBe('allow')
  }

  describe('the command line', () => {
    it('control: the whole installation allows', allows)
    it.each(cases.map((c) => [c.name, c] as const))('%s: check exits 1 with one line, never allow', async (_name, c) => {
      const env = await c.break(dw)
      try {
        const r = await runCli(INFO, { ...dw.env, ...env })
        expect(r.code, r.stderr).toBe(1)
        expect(r.stdout).toBe('')
        expect(r.stderr.trim().split('\n')).toHaveLength(1)
        expect(r.stderr).toMatch(c.says)
      } finally {
        await c.restore(dw)
      }
    })
    it('control: after every restore the installation allows again', allows)
  })

  describe('a running server', () => {
    let server: ServerProcess
    let key: string
    beforeAll(async () => {
      key = (await dw.json<{ key: string }>('apikey', 'create', '--role', 'admin', '--name', 'matrix')).key
      server = await serveProcess(dw.env)
    }, 120_000)
    afterAll(async () => {
      await server?.stop()
    })

    const check = (): ReturnType<typeof post> => post(`${server.url}/v1/check`, key, { campaign: 'info', phone: PHONE, at: AT })

    it.each(cases.filter((c) => c.server).map((c) => [c.name, c] as const))('%s: /v1/check and /readyz answer 503, never allow', async (_name, c) => {
      expect((await check()).json['verdict']).toBe('allow')
      await c.break(dw)
      try {
        // at once (no readiness cache may let a check through), and still after readiness is re-evaluated
        for (const wait of [0, 1_100]) {
          await new Promise((r) => setTimeout(r, wait))
          const r = await check()
          expect(r.status, JSON.stringify(r.json)).toBe(503)
          expect(r.json['verdict']).toBeUndefined()
          expect((await ready(server.url)).status).toBe(503)
        }
      } finally {
        await c.restore(dw)
      }
      await untilReady(server.url, 5_000)
      expect((await check()).json['verdict']).toBe('allow')
    })
  })

  describe('the registry', () => {
    const MKT = ['check', '--campaign', 'mkt', '--phone', PHONE, '--at', AT, '--json']
    let server: ServerProcess
    let key: string
    beforeAll(async () => {
      key = (await dw.json<{ key: string }>('apikey', 'create', '--role', 'admin', '--name', 'registry matrix')).key
      server = await serveProcess(dw.env)
    }, 120_000)
    afterAll(async () => {
      await server?.stop()
    })

    const blocksStale = async (): Promise<void> => {
      const r = await dw.run(...MKT)
      expect(r.code, r.stderr).toBe(0)
      const cli = JSON.parse(r.stdout)
      expect(cli.verdict).toBe('block')
      expect(cli.reasons.map((x: { code: string }) => x.code)).toContain('REGISTRY_STALE')
      const http = await post(`${server.url}/v1/check`, key, { campaign: 'mkt', phone: PHONE, at: AT })
      expect(http.status).toBe(200)
      expect(http.json['verdict']).toBe('block')
      expect((http.json['reasons'] as Array<{ code: string }>).map((x) => x.code)).toContain('REGISTRY_STALE')
    }
    const file = (): string => {
      const f = join(dw.dataDir, '..', 'registry.txt')
      writeFileSync(f, '305,2999999\n')
      return f
    }

    it('registry missing for a US number: a marketing check blocks with REGISTRY_STALE (command line and server)', async () => {
      await blocksStale()
    })

    it('registry stale (as-of 61 days before the call): blocks with REGISTRY_STALE; a fresh one allows (control)', async () => {
      await dw.ok('registry', 'import', '--registry', 'us-national', '--file', file(), '--as-of', '2026-10-01', '--area-codes', '305')
      await blocksStale()
      await dw.ok('registry', 'import', '--registry', 'us-national', '--file', file(), '--as-of', '2026-11-25', '--area-codes', '305')
      expect(JSON.parse((await dw.run(...MKT)).stdout).verdict).toBe('allow')
      const deadline = Date.now() + 2_000
      let verdict: unknown
      do verdict = (await post(`${server.url}/v1/check`, key, { campaign: 'mkt', phone: PHONE, at: AT })).json['verdict']
      while (verdict !== 'allow' && Date.now() < deadline)
      expect(verdict).toBe('allow')
    })
  })
})
