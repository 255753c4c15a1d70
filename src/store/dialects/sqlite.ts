import { chmodSync, existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { Kysely, SqliteDialect, sql } from 'kysely'
import type { Database } from '../schema.js'
import type { BulkTable, Capabilities, ReclaimOutcome, RowTable } from './capabilities.js'
import { quoteIdentifier } from './identifiers.js'

/** An open SQLite database and its capabilities. */
export interface SqliteStore {
  readonly db: Kysely<Database>
  readonly dialect: Capabilities
  close(): Promise<void>
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/**
 * How long a writer waits for SQLite's write lock in all (issue 13: a long import held it past the
 * 5 s busy timeout and a concurrent revocation failed with `database is locked`).
 */
export const WRITE_LOCK_WAIT_MS = 10 * 60_000

/**
 * Takes the write lock with `begin`, retrying while another process holds it: each attempt waits
 * up to the busy timeout, and between attempts the process sleeps without blocking its event loop
 * (a server keeps answering reads). Gives up only after {@link WRITE_LOCK_WAIT_MS}.
 */
async function whenNotBusy<T>(begin: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + WRITE_LOCK_WAIT_MS
  for (let attempt = 1; ; attempt++) {
    try {
      return await begin()
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw err
      await sleep(Math.min(20 * attempt, 250))
    }
  }
}

/**
 * Opens (creating when missing, mode 0600) the SQLite file: WAL with `synchronous=FULL` (an
 * acknowledged opt-out survives power loss), a busy timeout, foreign keys, `secure_delete` (freed
 * pages are zeroed) and up to 64 MiB of page cache.
 */
export function openSqlite(path: string): SqliteStore {
  mkdirSync(dirname(path), { recursive: true })
  const fresh = !existsSync(path)
  const raw = new BetterSqlite3(path)
  if (fresh) chmodSync(path, 0o600)
  raw.pragma('journal_mode = WAL')
  raw.pragma('synchronous = FULL')
  raw.pragma('busy_timeout = 5000')
  raw.pragma('foreign_keys = ON')
  raw.pragma('secure_delete = ON')
  raw.pragma('cache_size = -65536')
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statementCache(raw) }) })
  return { db, dialect: sqliteCapabilities(db, raw), close: () => db.destroy() }
}

/** Statements kept prepared (kysely prepares each query anew; the SQL texts of Dialward are few). */
const STATEMENT_CACHE_SIZE = 500

/**
 * The connection as kysely sees it, with prepared statements reused by SQL text (least recently
 * used dropped past `STATEMENT_CACHE_SIZE`): preparing is a large share of a small query's cost.
 */
function statementCache(raw: BetterSqlite3.Database): { prepare(sql: string): BetterSqlite3.Statement; close(): void } {
  const cache = new Map<string, BetterSqlite3.Statement>()
  return {
    prepare(sql) {
      let stmt = cache.get(sql)
      if (stmt) {
        cache.delete(sql)
        cache.set(sql, stmt)
        return stmt
      }
      stmt = raw.prepare(sql)
      cache.set(sql, stmt)
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!)
      return stmt
    },
    close: () => raw.close(),
  }
}

function sqliteCapabilities(db: Kysely<Database>, raw: BetterSqlite3.Database): Capabilities {
  const bulk = new Map<string, BetterSqlite3.Transaction<(rows: readonly object[]) => void>>()
  const inserts = new Map<string, (rows: readonly object[]) => void>()
  return {
    name: 'sqlite',
    types: { text: 'TEXT', int: 'INTEGER', blob: 'BLOB', real: 'REAL' },
    blockingWrites: true,

    writeTransaction: (fn) =>
      db.connection().execute(async (conn) => {
        await whenNotBusy(() => sql`BEGIN IMMEDIATE`.execute(conn))
        try {
          const result = await fn(conn)
          await sql`COMMIT`.execute(conn)
          return result
        } catch (err) {
          await sql`ROLLBACK`.execute(conn)
          throw err
        }
      }),

    // BEGIN IMMEDIATE already holds the only write lock.
    lockAuditLog: async () => undefined,

    // One prepared statement per table and column list, run for every row inside one
    // BEGIN IMMEDIATE transaction, all synchronous: nothing interleaves on the shared connection.
    bulkLoad: async <T extends BulkTable>(table: T, rows: readonly Database[T][]) => {
      if (rows.length === 0) return
      const columns = Object.keys(rows[0]!)
      const key = `${table}(${columns.join(',')})`
      let insertAll = bulk.get(key)
      if (insertAll === undefined) {
        const stmt = raw.prepare(`INSERT INTO ${quoteIdentifier(table)} (${columns.map(quoteIdentifier).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
        const values: unknown[] = new Array(columns.length)
        insertAll = raw.transaction((all: readonly object[]) => {
          for (const row of all) {
            for (let c = 0; c < columns.length; c++) values[c] = (row as Record<string, unknown>)[columns[c]!]
            stmt.run(values)
          }
        })
        bulk.set(key, insertAll)
      }
      await whenNotBusy(async () => insertAll.immediate(rows))
    },

    // The one connection is the transaction's: statements run on it join the open BEGIN IMMEDIATE.
    insertMany: async <T extends BulkTable | RowTable>(_trx: Kysely<Database>, table: T, rows: readonly Database[T][]) => {
      if (rows.length === 0) return
      const columns = Object.keys(rows[0]!)
      const key = `${table}(${columns.join(',')})`
      let insertAll = inserts.get(key)
      if (insertAll === undefined) {
        const stmt = raw.prepare(`INSERT INTO ${quoteIdentifier(table)} (${columns.map(quoteIdentifier).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
        const values: unknown[] = new Array(columns.length)
        insertAll = (all) => {
          if (!raw.inTransaction) throw new Error(`insertMany(${table}) needs an open write transaction`)
          for (const row of all) {
            for (let c = 0; c < columns.length; c++) values[c] = (row as Record<string, unknown>)[columns[c]!] ?? null
            stmt.run(values)
          }
        }
        inserts.set(key, insertAll)
      }
      insertAll(rows)
    },

    // secure_delete=ON zeroes freed pages, but only once the WAL is checkpointed into the main
    // file and truncated; a reader holding an old snapshot makes the checkpoint busy (and scrub
    // nothing), so it is retried until it reports not busy.
    reclaimDeleted: async (_tables, maxWaitMs): Promise<ReclaimOutcome> => {
      const started = Date.now()
      let attempts = 0
      for (;;) {
        attempts++
        const r = await sql<{ busy: number }>`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db)
        if (Number(r.rows[0]?.busy ?? 1) === 0) return { physical: 'sqlite: secure_delete=ON + wal_checkpoint(TRUNCATE) not busy', complete: true, attempts }
        if (Date.now() - started > maxWaitMs) return { physical: 'sqlite: secure_delete=ON; wal_checkpoint(TRUNCATE) still busy (a reader held an old snapshot)', complete: false, attempts }
        await sleep(Math.min(50 * attempts, 500))
      }
    },

    // Other processes poll the change counters (see store/repos/changes.ts).
    notifyChange: async () => undefined,
    subscribeChanges: async () => null,
  }
}
