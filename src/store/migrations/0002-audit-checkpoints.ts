import { sql, type Kysely } from 'kysely'
import type { DialectName } from '../dialect-name.js'

/** Signed checkpoints (tree heads) of the audit log, also appended to a file outside the database. */
export async function up(db: Kysely<unknown>, d: DialectName): Promise<void> {
  const int = d === 'sqlite' ? 'INTEGER' : 'BIGINT'
  await sql
    .raw(`CREATE TABLE audit_checkpoints (size ${int} PRIMARY KEY, root TEXT NOT NULL, time ${int} NOT NULL, note TEXT NOT NULL)`)
    .execute(db)
}
