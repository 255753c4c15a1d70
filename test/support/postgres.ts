import { execFile, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  accessSync,
  chownSync,
  constants,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs'
import { appendFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import pg from 'pg'

/**
 * Throw-away PostgreSQL clusters for tests (see DESIGN.md, Storage): Debian's `initdb`/`pg_ctl`,
 * a data directory in a fresh temp dir, listening only on 127.0.0.1 on a free port, trust auth.
 * As root the cluster runs as the `postgres` system user, because `initdb` refuses root.
 */

export interface ThrowawayPostgres {
  /** Superuser URL: postgres://postgres@127.0.0.1:PORT/postgres */
  url: string
  /** Stops the cluster (`pg_ctl stop -m immediate`) and removes its directory. Safe to call twice. */
  stop(): Promise<void>
}

interface Binaries {
  initdb: string
  pgCtl: string
}

const START_TIMEOUT_SECONDS = 60
const PORT_ATTEMPTS = 3

/** `initdb` and `pg_ctl` from PATH, else from the highest /usr/lib/postgresql/<v>/bin; null when absent. */
export function findPostgresBinaries(): Binaries | null {
  const dirs = (process.env['PATH'] ?? '').split(delimiter).filter(Boolean)
  const debianRoot = '/usr/lib/postgresql'
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a))
    dirs.push(...versions.map((v) => join(debianRoot, v, 'bin')))
  }
  for (const dir of dirs) {
    const initdb = join(dir, 'initdb')
    const pgCtl = join(dir, 'pg_ctl')
    if (isExecutable(initdb) && isExecutable(pgCtl)) return { initdb, pgCtl }
  }
  return null
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** Runs a PostgreSQL binary, as the `postgres` system user when we are root. */
function run(file: string, args: string[], cwd: string, timeoutMs: number): Promise<void> {
  const [cmd, cmdArgs] = asClusterOwner(file, args)
  return new Promise((resolve, reject) => {
    const options = { cwd, timeout: timeoutMs, env: { ...process.env, LC_ALL: 'C' } }
    execFile(cmd, cmdArgs, options, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${stdout}${stderr}`))
      else resolve()
    })
  })
}

function asClusterOwner(file: string, args: string[]): [string, string[]] {
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args]
}

function isRoot(): boolean {
  return process.getuid?.() === 0
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

/**
 * Creates and starts a throw-away cluster. Returns null when the PostgreSQL binaries are not installed;
 * throws when they are installed but the cluster does not start (that is a failure, not a skip).
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres | null> {
  const bins = findPostgresBinaries()
  if (!bins) return null

  const dir = mkdtempSync(join(tmpdir(), 'dialward-pg-'))
  const data = join(dir, 'data')
  const log = join(dir, 'postgres.log')
  const removeDir = (): void => rmSync(dir, { recursive: true, force: true })
  try {
    if (isRoot()) {
      const owner = postgresUserIds()
      chownSync(dir, owner.uid, owner.gid)
    }
    await run(
      bins.initdb,
      [
        '-D',
        data,
        '-U',
        'postgres',
        '--auth=trust',
        '--encoding=UTF8',
        '--no-locale',
        '--no-sync',
        '--no-instructions',
      ],
      dir,
      120_000,
    )
    await appendFile(
      join(data, 'postgresql.conf'),
      [
        '',
        '# dialward throw-away test cluster',
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${dir}'`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        'max_connections = 200',
        '',
      ].join('\n'),
    )
  } catch (error) {
    removeDir()
    throw error
  }

  // The port is free when we look; another process may take it before postgres binds, so retry.
  let lastError: unknown
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    const port = await freeLoopbackPort()
    try {
      await run(
        bins.pgCtl,
        ['start', '-w', '-t', String(START_TIMEOUT_SECONDS), '-D', data, '-l', log, '-o', `-p ${port}`],
        dir,
        (START_TIMEOUT_SECONDS + 10) * 1000,
      )
    } catch (error) {
      lastError = new Error(`${(error as Error).message}\n--- postgres.log ---\n${readLog(log)}`)
      await run(bins.pgCtl, ['stop', '-D', data, '-m', 'immediate'], dir, 30_000).catch(() => undefined)
      continue
    }
    return started(bins, dir, data, port, removeDir)
  }
  removeDir()
  throw lastError
}

function started(
  bins: Binaries,
  dir: string,
  data: string,
  port: number,
  removeDir: () => void,
): ThrowawayPostgres {
  // If this process dies without calling stop() (SIGKILL, crash), a detached watchdog stops the cluster.
  const [stopCmd, stopArgs] = asClusterOwner(bins.pgCtl, ['stop', '-D', data, '-m', 'immediate'])
  const watchdog = spawn(
    'sh',
    [
      '-c',
      'while kill -0 "$0" 2>/dev/null; do sleep 2; done; "$@" >/dev/null 2>&1; rm -rf "$DIALWARD_PG_DIR"',
      String(process.pid),
      stopCmd,
      ...stopArgs,
    ],
    { detached: true, stdio: 'ignore', cwd: dir, env: { ...process.env, DIALWARD_PG_DIR: dir } },
  )
  watchdog.unref()

  let stopping: Promise<void> | undefined
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      stopping ??= (async () => {
        try {
          if (watchdog.pid !== undefined) process.kill(watchdog.pid, 'SIGKILL')
        } catch {
          // already gone
        }
        try {
          await run(bins.pgCtl, ['stop', '-D', data, '-m', 'immediate', '-w', '-t', '30'], dir, 40_000)
        } finally {
          removeDir()
        }
      })()
      return stopping
    },
  }
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(-4000)
  } catch {
    return '(no log)'
  }
}

function postgresUserIds(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'))
  const fields = line?.split(':')
  if (!fields || fields.length < 4) {
    throw new Error(
      'running as root but there is no `postgres` system user to own the test cluster (initdb refuses root)',
    )
  }
  return { uid: Number(fields[2]), gid: Number(fields[3]) }
}

/** Creates a uniquely named empty database (`dw_test_<random>`) and returns its URL. */
export async function createTestDatabase(adminUrl: string): Promise<string> {
  const name = `dw_test_${randomBytes(8).toString('hex')}`
  await withClient(adminUrl, (client) =>
    client.query(`create database ${name} template template0 encoding 'UTF8'`),
  )
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.toString()
}

/** Drops a database made by createTestDatabase, disconnecting any sessions still open on it. */
export async function dropTestDatabase(adminUrl: string, url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1))
  if (!/^dw_test_[0-9a-f]+$/.test(name)) {
    throw new Error(`refusing to drop ${JSON.stringify(name)}: not a test database`)
  }
  await withClient(adminUrl, (client) => client.query(`drop database if exists ${name} with (force)`))
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}
