import { sql, type Kysely } from 'kysely'
import type { ColumnTypes } from '../dialects/capabilities.js'

/**
 * Decision runs: the distinct data-version sets (rule pack, engine, NANP table, time zones,
 * registry versions) of one bulk scrub, stored once per run instead of on every decision row.
 * A scrub's decision rows refer to a set by index (`{"runSet":n}`, the run id is their `source`).
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  const { int } = t
  await sql.raw(`CREATE TABLE decision_runs (id TEXT PRIMARY KEY, versions TEXT NOT NULL, created_at ${int} NOT NULL)`).execute(db)
}
