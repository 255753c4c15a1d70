import { sql, type Kysely } from 'kysely'
import type { ColumnTypes } from '../dialects/capabilities.js'

/**
 * The log covers the data (ADR 0011): `row_audit` records, for every covered row an audited write
 * created, changed or deleted, the seq of the audit entry that did it, the row's SHA-256 and its
 * scope (the number's blind index, a registry version, `campaigns` …); each entry carries the
 * digest of its records, so the records are as tamper-evident as the log. `row_heads` holds, per
 * scope the gate reads, the keyed sum of its live rows, so one check can verify the rows it reads
 * without walking the log.
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  const { int, text } = t
  const ddl = [
    `CREATE TABLE row_audit (seq ${int} NOT NULL, n ${int} NOT NULL, tbl ${text} NOT NULL, row_key ${text} NOT NULL, scope ${text} NOT NULL,
      op ${text} NOT NULL, row_sha256 ${text}, PRIMARY KEY (seq, n))`,
    `CREATE INDEX row_audit_row ON row_audit (tbl, row_key, seq)`,
    `CREATE TABLE row_heads (scope ${text} PRIMARY KEY, rows ${int} NOT NULL, digest ${text} NOT NULL, seq ${int} NOT NULL, mac ${text} NOT NULL)`,
  ]
  for (const s of ddl) await sql.raw(s).execute(db)
}
