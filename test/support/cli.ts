import { spawn } from 'node:child_process'
import { it } from 'vitest'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import { createTestDatabase, dropTestDatabase } from './postgres.js'
import { testPostgresUrl } from './postgres-url.js'
import { removeTempDir, tempDir } from './temp-dir.js'

const BIN = fileURLToPath(new URL('../../bin/dialward', import.meta.url))

/** What one CLI run printed and returned. */
export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** A throw-away Dialward installation: its own data directory and, for PostgreSQL, its own database. */
export interface Installation {
  readonly name: 'sqlite' | 'postgres'
  readonly dataDir: string
  readonly env: Record<string, string>
  run(...args: string[]): Promise<CliResult>
  /** Runs a command that must succeed (fails the test with its stderr otherwise). */
  ok(...args: string[]): Promise<void>
  /** Runs with `--json` and parses stdout; fails the test on a non-zero exit. */
  json<T = Record<string, unknown>>(...args: string[]): Promise<T>
  /** Drops the PostgreSQL database and removes the installation's temporary directory. */
  dispose(): Promise<void>
}

/** Runs `bin/dialward` as a user would, in a child process. */
export function runCli(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
  })
}

/** The dialects a contract suite runs on: SQLite always, PostgreSQL when this run has a server. */
export function dialects(): Array<'sqlite' | 'postgres'> {
  return testPostgresUrl() ? ['sqlite', 'postgres'] : ['sqlite']
}

/** Creates a fresh installation on the given dialect. */
export async function installation(name: 'sqlite' | 'postgres'): Promise<Installation> {
  const home = tempDir('cli')
  const dataDir = join(home, 'data')
  const env: Record<string, string> = { DIALWARD_DATA: dataDir, DIALWARD_DATABASE_URL: '' }
  let dbUrl: string | null = null
  const admin = testPostgresUrl()
  if (name === 'postgres') {
    if (!admin) throw new Error('no PostgreSQL server for this test run')
    dbUrl = await createTestDatabase(admin)
    env['DIALWARD_DATABASE_URL'] = dbUrl
  }
  const run = (...args: string[]): Promise<CliResult> => runCli(args, env)
  return {
    name,
    dataDir,
    env,
    run,
    async ok(...args: string[]): Promise<void> {
      const r = await run(...args)
      if (r.code !== 0) throw new Error(`dialward ${args.join(' ')} exited ${r.code}: ${r.stderr}`)
    },
    async json<T>(...args: string[]): Promise<T> {
      const r = await run(...args, '--json')
      if (r.code !== 0) throw new Error(`dialward ${args.join(' ')} exited ${r.code}: ${r.stderr}`)
      return JSON.parse(r.stdout) as T
    },
    async dispose() {
      try {
        if (dbUrl && admin) await dropTestDatabase(admin, dbUrl)
      } finally {
        removeTempDir(home)
      }
    },
  }
}

const TABLES = ['campaigns', 'subjects', 'data_keys', 'consent_events', 'dnc_entries', 'reassigned_checks', 'calls', 'registry_versions', 'registry_pages', 'decisions', 'audit_log'] as const

/** Row counts of every table of an installation, read straight from its database. */
export async function rowCounts(dw: Installation): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  if (dw.name === 'sqlite') {
    const db = new BetterSqlite3(join(dw.dataDir, 'dialward.db'), { readonly: true })
    try {
      for (const t of TABLES) out[t] = (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n
    } finally {
      db.close()
    }
    return out
  }
  const client = new pg.Client({ connectionString: dw.env['DIALWARD_DATABASE_URL'] })
  await client.connect()
  try {
    for (const t of TABLES) out[t] = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${t}`)).rows[0]!.n)
  } finally {
    await client.end()
  }
  return out
}

/**
 * Registers a test only on the dialect it is meaningful for (e.g. a SIGKILL loop against the SQLite
 * file): on the other dialect it is not registered at all, rather than reported as skipped.
 */
export function onlyOn(
  current: 'sqlite' | 'postgres',
  wanted: 'sqlite' | 'postgres',
): (name: string, fn: () => unknown, timeout?: number) => void {
  return current === wanted ? (name, fn, timeout) => it(name, fn, timeout) : () => undefined
}

/** Rows of one read-only SQL query against an installation's database (tests that look at what was stored). */
export async function queryRows<T = Record<string, unknown>>(dw: Installation, text: string): Promise<T[]> {
  if (dw.name === 'sqlite') {
    const db = new BetterSqlite3(join(dw.dataDir, 'dialward.db'), { readonly: true })
    try {
      return db.prepare(text).all() as T[]
    } finally {
      db.close()
    }
  }
  const client = new pg.Client({ connectionString: dw.env['DIALWARD_DATABASE_URL'] })
  await client.connect()
  try {
    return (await client.query(text)).rows as T[]
  } finally {
    await client.end()
  }
}
