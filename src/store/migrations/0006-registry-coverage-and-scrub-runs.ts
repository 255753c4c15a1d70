import { sql, type Kysely } from 'kysely'
import type { ColumnTypes } from '../dialects/capabilities.js'

/**
 * Registry coverage per area code and scrub runs as one record each.
 *
 * - `registry_versions.coverage` (JSON: whole registry or not, and the numbers listed per area code
 *   it covers) and `details` (JSON: the import report — kind, entries, numbers added and removed).
 *   Versions stored before this migration have neither: they were whole-registry imports stored as
 *   one page per NPA-NXX; from now on `registry_pages` holds one sealed block per area code
 *   (`prefix` = the area code) for versions that have a coverage.
 * - `decision_runs` gains the run record of a bulk scrub: campaign, instant, SHA-256 of input and
 *   output, rows, and a JSON summary (counts by reason, the table of distinct outcomes).
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  const { int, text } = t
  const ddl = [
    `ALTER TABLE registry_versions ADD COLUMN coverage ${text}`,
    `ALTER TABLE registry_versions ADD COLUMN details ${text}`,
    `ALTER TABLE decision_runs ADD COLUMN campaign_id ${text}`,
    `ALTER TABLE decision_runs ADD COLUMN at ${int}`,
    `ALTER TABLE decision_runs ADD COLUMN input_sha256 ${text}`,
    `ALTER TABLE decision_runs ADD COLUMN output_sha256 ${text}`,
    `ALTER TABLE decision_runs ADD COLUMN row_count ${int}`,
    `ALTER TABLE decision_runs ADD COLUMN summary ${text}`,
  ]
  for (const s of ddl) await sql.raw(s).execute(db)
}
