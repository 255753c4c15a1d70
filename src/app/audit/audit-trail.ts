import type { Kysely } from 'kysely'
import type { Database } from '../../store/schema.js'
import type { DialectName } from '../../store/dialect-name.js'
import { lockAuditLog } from '../../store/audit-lock.js'
import { canonicalEntryBytes, type AuditEntry } from '../../core/audit/audit-entry.js'
import { leafHash } from '../../core/audit/merkle.js'
import { toHex } from '../../core/audit/bytes.js'
import { sha256 } from '../../audit/node-hasher.js'
import { auditLogSize } from './checkpoints.js'

/** What a change records about itself: no plaintext PII, only pseudonyms (blind indexes), ids and ciphertext. */
export interface AuditRecord {
  readonly action: string
  readonly subject: string | null
  readonly data: Record<string, string | number | boolean | null>
}

/**
 * Appends an entry to the audit log inside the caller's write transaction, so the change and
 * its audit entry commit or roll back together. The stored leaf hash is the RFC 9162 leaf hash
 * of the entry's canonical bytes.
 */
export async function appendAudit(
  trx: Kysely<Database>,
  dialect: DialectName,
  actor: string,
  at: number,
  record: AuditRecord,
): Promise<number> {
  await lockAuditLog(trx, dialect)
  const seq = await auditLogSize(trx) // 0-based: seq is the Merkle leaf index
  const entry: AuditEntry = { seq, at, actor, action: record.action, subject: record.subject, data: record.data }
  const hash = toHex(leafHash(sha256, canonicalEntryBytes(entry)))
  await trx
    .insertInto('audit_log')
    .values({ seq, at, actor, action: record.action, subject: record.subject, data: JSON.stringify(record.data), leaf_hash: hash })
    .execute()
  return seq
}
