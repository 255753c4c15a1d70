import { sql, type Kysely } from 'kysely'
import type { ColumnTypes } from '../dialects/capabilities.js'

/**
 * Retention: legal holds, suppression entries (what purged requests and erasures leave behind),
 * and purge runs with their committed batches (so a killed purge resumes where it stopped).
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  const { int, blob } = t
  const ddl = [
    `CREATE TABLE legal_holds (id TEXT PRIMARY KEY, scope TEXT NOT NULL, target TEXT, reason_key_id TEXT NOT NULL REFERENCES data_keys(id),
      reason_ct ${blob} NOT NULL, created_at ${int} NOT NULL, until ${int}, released_at ${int})`,
    `CREATE TABLE suppressions (id TEXT PRIMARY KEY, phone_bidx TEXT NOT NULL, seller_key TEXT, at ${int} NOT NULL, origin TEXT NOT NULL,
      created_at ${int} NOT NULL)`,
    `CREATE INDEX suppressions_phone ON suppressions (phone_bidx)`,
    `CREATE TABLE retention_runs (id TEXT PRIMARY KEY, kind TEXT NOT NULL, at ${int} NOT NULL, status TEXT NOT NULL, subject TEXT,
      started_at ${int} NOT NULL, finished_at ${int}, summary TEXT, audit_seq ${int}, receipt_path TEXT)`,
    `CREATE INDEX retention_runs_status ON retention_runs (status)`,
    `CREATE TABLE retention_run_batches (run_id TEXT NOT NULL REFERENCES retention_runs(id), seq ${int} NOT NULL, counts TEXT NOT NULL,
      keys TEXT NOT NULL, created_at ${int} NOT NULL, PRIMARY KEY (run_id, seq))`,
  ]
  for (const s of ddl) await sql.raw(s).execute(db)
}
