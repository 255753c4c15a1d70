import { sql, type Kysely } from 'kysely'
import type { ColumnTypes } from '../dialects/capabilities.js'

/**
 * Change counters (one row per topic, bumped in the transaction of every write that changes the
 * topic's data, so other processes can tell their caches are stale) and the refusal log: writes
 * that were refused or failed, recorded outside their rolled-back transaction (who, what, when,
 * which error code; never the input itself).
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  const { int, text } = t
  const ddl = [
    `CREATE TABLE changes (topic ${text} PRIMARY KEY, version ${int} NOT NULL)`,
    `CREATE TABLE audit_refusals (id ${text} PRIMARY KEY, at ${int} NOT NULL, actor ${text} NOT NULL, role ${text} NOT NULL,
      request_id ${text} NOT NULL, action ${text} NOT NULL, code ${text} NOT NULL)`,
    `CREATE INDEX audit_refusals_at ON audit_refusals (at)`,
  ]
  for (const s of ddl) await sql.raw(s).execute(db)
}
