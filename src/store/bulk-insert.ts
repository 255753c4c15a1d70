import type BetterSqlite3 from 'better-sqlite3'
import type { InsertObject, Kysely } from 'kysely'
import type { Database } from './schema.js'
import type { DatabaseHandle } from './open-database.js'
import { writeTransaction } from './write-transaction.js'

/** Tables that are written in bulk (append-only logs). */
export type BulkTable = 'decisions'

/**
 * Appends many rows to one table in one write transaction per call, by the dialect's fastest
 * path. Every row of one call must have the same columns (those of the first row).
 */
export type BulkInsert = <T extends BulkTable>(table: T, rows: readonly Database[T][]) => Promise<void>

/** Rows per multi-row INSERT on PostgreSQL: 500 rows of 10 columns stay far below its 65,535 parameters. */
const PG_ROWS_PER_STATEMENT = 500

/**
 * The bulk-insert capability of an open database. SQLite: one prepared statement (cached per
 * table and column list) run for every row with positional values, inside one `BEGIN IMMEDIATE`
 * transaction, all synchronous, so nothing else can interleave on the shared connection. PostgreSQL: multi-row
 * INSERTs in one transaction.
 */
export function bulkInserter(handle: Pick<DatabaseHandle, 'db' | 'dialect' | 'sqlite'>): BulkInsert {
  const raw = handle.sqlite
  if (raw === null) return (table, rows) => insertMultiRow(handle.db, handle, table, rows)
  const statements = new Map<string, BetterSqlite3.Transaction<(rows: readonly object[]) => void>>()
  return async (table, rows) => {
    if (rows.length === 0) return
    const columns = Object.keys(rows[0]!)
    const key = `${table}(${columns.join(',')})`
    let insertAll = statements.get(key)
    if (insertAll === undefined) {
      const stmt = raw.prepare(`INSERT INTO ${quoteIdentifier(table)} (${columns.map(quoteIdentifier).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
      const values: unknown[] = new Array(columns.length)
      insertAll = raw.transaction((all: readonly object[]) => {
        for (const row of all) {
          for (let c = 0; c < columns.length; c++) values[c] = (row as Record<string, unknown>)[columns[c]!]
          stmt.run(values)
        }
      })
      statements.set(key, insertAll)
    }
    insertAll.immediate(rows)
  }
}

async function insertMultiRow<T extends BulkTable>(
  db: Kysely<Database>,
  handle: Pick<DatabaseHandle, 'dialect'>,
  table: T,
  rows: readonly Database[T][],
): Promise<void> {
  if (rows.length === 0) return
  await writeTransaction(db, handle.dialect, async (trx) => {
    for (let i = 0; i < rows.length; i += PG_ROWS_PER_STATEMENT) {
      await trx.insertInto(table).values(rows.slice(i, i + PG_ROWS_PER_STATEMENT) as unknown as InsertObject<Database, T>[]).execute()
    }
  })
}

function quoteIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain identifier: ${name}`)
  return `"${name}"`
}
