import { sql, type Kysely } from 'kysely'
import type { ColumnTypes } from '../dialects/capabilities.js'

/**
 * Contact data (issue 11): one contact record per number and data purpose — which fields it keeps
 * and when each was last verified in `fields` (names and instants, never values), the values sealed
 * under the subject's data key in `fields_ct` —, quarantined import rows (invalid numbers, sealed
 * under a data key of their import), and the data purpose a campaign dials.
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  const { int, text, blob } = t
  const ddl = [
    `CREATE TABLE contacts (id ${text} PRIMARY KEY, subject_id ${text} NOT NULL REFERENCES subjects(id), purpose ${text} NOT NULL,
      verified_at ${int} NOT NULL, fields ${text} NOT NULL, fields_ct ${blob}, created_at ${int} NOT NULL, updated_at ${int} NOT NULL,
      UNIQUE (subject_id, purpose))`,
    `CREATE INDEX contacts_purpose ON contacts (purpose, verified_at)`,
    `CREATE TABLE contact_quarantine (id ${text} PRIMARY KEY, import_id ${text} NOT NULL, row_number ${int} NOT NULL, purpose ${text} NOT NULL,
      reason ${text} NOT NULL, key_id ${text} NOT NULL REFERENCES data_keys(id), phone_ct ${blob}, fields_ct ${blob}, created_at ${int} NOT NULL)`,
    `CREATE INDEX contact_quarantine_import ON contact_quarantine (import_id, row_number)`,
    `CREATE INDEX contact_quarantine_created ON contact_quarantine (created_at)`,
    `ALTER TABLE campaigns ADD COLUMN data_purpose ${text}`,
  ]
  for (const s of ddl) await sql.raw(s).execute(db)
}
