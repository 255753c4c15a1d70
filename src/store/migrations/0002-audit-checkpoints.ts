import { sql, type Kysely } from 'kysely'
import type { ColumnTypes } from '../dialects/capabilities.js'

/** Signed checkpoints (tree heads) of the audit log, also appended to a file outside the database. */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  const { int } = t
  await sql
    .raw(`CREATE TABLE audit_checkpoints (size ${int} PRIMARY KEY, root TEXT NOT NULL, time ${int} NOT NULL, note TEXT NOT NULL)`)
    .execute(db)
}
