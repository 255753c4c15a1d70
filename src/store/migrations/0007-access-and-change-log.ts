import { sql, type Kysely } from 'kysely'
import type { ColumnTypes } from '../dialects/capabilities.js'

/**
 * API keys (only a SHA-256 of each secret is stored), the change log that tells long-lived
 * processes which subjects changed (keys are blind indexes), the third-party consent
 * certificate references captured by web forms (sealed under the subject's key), and an index of
 * audit entries by subject.
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  const { int, text, blob } = t
  const ddl = [
    `CREATE TABLE api_keys (id ${text} PRIMARY KEY, name ${text} NOT NULL, role ${text} NOT NULL, secret_sha256 ${text} NOT NULL,
      created_at ${int} NOT NULL, expires_at ${int}, revoked_at ${int}, last_used_at ${int})`,
    `CREATE TABLE change_log (topic ${text} NOT NULL, version ${int} NOT NULL, key ${text} NOT NULL, at ${int} NOT NULL, PRIMARY KEY (topic, version, key))`,
    `ALTER TABLE consent_events ADD COLUMN trustedform_ct ${blob}`,
    `ALTER TABLE consent_events ADD COLUMN leadid_ct ${blob}`,
    // evidence finds the entries about a number (or a decision batch) by subject
    `CREATE INDEX audit_log_subject ON audit_log (subject)`,
  ]
  for (const s of ddl) await sql.raw(s).execute(db)
}
