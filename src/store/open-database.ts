import { chmodSync, existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely'
import type { Database } from './schema.js'
import type { DialectName } from './dialect-name.js'

/** Where the data lives: an embedded SQLite file (default) or a PostgreSQL server. */
export type DatabaseTarget = { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'postgres'; readonly url: string }

/** An open database and the dialect it speaks. */
export interface DatabaseHandle {
  readonly db: Kysely<Database>
  readonly dialect: DialectName
  /**
   * The SQLite connection under `db` (`null` on PostgreSQL), for the named capabilities that need
   * prepared statements (see bulk-insert.ts). It is the same single connection kysely uses.
   */
  readonly sqlite: BetterSqlite3.Database | null
  close(): Promise<void>
}

let pgTypesSet = false

/**
 * Opens the database. SQLite runs in WAL mode with `synchronous=FULL` (an acknowledged opt-out
 * must survive power loss), a busy timeout, foreign keys, `secure_delete` and a page cache of up to 64 MiB. PostgreSQL's
 * int8 columns are parsed to JS numbers (instants and prefixes stay below 2^53); its driver is
 * loaded only when it is used.
 */
export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if (target.kind === 'sqlite') {
    mkdirSync(dirname(target.path), { recursive: true })
    const fresh = !existsSync(target.path)
    const raw = new BetterSqlite3(target.path)
    if (fresh) chmodSync(target.path, 0o600)
    raw.pragma('journal_mode = WAL')
    raw.pragma('synchronous = FULL')
    raw.pragma('busy_timeout = 5000')
    raw.pragma('foreign_keys = ON')
    raw.pragma('secure_delete = ON')
    // up to 64 MiB of page cache (allocated as used): bulk decision-log inserts touch index pages at random
    raw.pragma('cache_size = -65536')
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) })
    return { db, dialect: 'sqlite', sqlite: raw, close: () => db.destroy() }
  }
  // Loaded only when PostgreSQL is used: the embedded default does not pay for the driver.
  const { default: pg } = await import('pg')
  if (!pgTypesSet) {
    pg.types.setTypeParser(20, (v: string) => Number(v))
    pgTypesSet = true
  }
  const pool = new pg.Pool({ connectionString: target.url, max: 4 })
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return { db, dialect: 'postgres', sqlite: null, close: () => db.destroy() }
}
