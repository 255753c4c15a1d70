import { sql, type Kysely } from 'kysely'
import type { Database } from './schema.js'
import type { DialectName } from './dialect-name.js'

/**
 * Runs `fn` in a read-then-write transaction. On SQLite this is `BEGIN IMMEDIATE` so the write
 * lock is taken up front and the busy timeout applies (a deferred transaction that later
 * upgrades fails with SQLITE_BUSY at once); on PostgreSQL a regular transaction.
 */
export async function writeTransaction<T>(
  db: Kysely<Database>,
  dialect: DialectName,
  fn: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  if (dialect === 'postgres') return db.transaction().execute(fn)
  return db.connection().execute(async (conn) => {
    await sql`BEGIN IMMEDIATE`.execute(conn)
    try {
      const result = await fn(conn)
      await sql`COMMIT`.execute(conn)
      return result
    } catch (err) {
      await sql`ROLLBACK`.execute(conn)
      throw err
    }
  })
}
