import { sql, type Kysely } from 'kysely'
import type { Database } from './schema.js'
import type { DialectName } from './dialect-name.js'

const AUDIT_LOCK_KEY = 0x44_57_41_55 // "DWAU"

/**
 * Serializes audit-log appends inside a write transaction so sequence numbers have no gaps or
 * duplicates. SQLite's `BEGIN IMMEDIATE` already holds the only write lock; PostgreSQL takes a
 * transaction-scoped advisory lock.
 */
export async function lockAuditLog(trx: Kysely<Database>, dialect: DialectName): Promise<void> {
  if (dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx)
}
