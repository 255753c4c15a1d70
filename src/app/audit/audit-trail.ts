import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../../store/schema.js'
import type { DialectName } from '../../store/dialect-name.js'
import { lockAuditLog } from '../../store/audit-lock.js'
import { canonicalEntryBytes, type AuditEntry } from '../../core/audit/audit-entry.js'
import { leafHash } from '../../core/audit/merkle.js'

const sha256 = (data: Uint8Array): Uint8Array => createHash('sha256').update(data).digest()

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
  const last = await trx.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst()
  const seq = last?.seq === null || last?.seq === undefined ? 0 : Number(last.seq) + 1 // 0-based: seq is the Merkle leaf index
  const entry: AuditEntry = { seq, at, actor, action: record.action, subject: record.subject, data: record.data }
  const hash = Buffer.from(leafHash(sha256, canonicalEntryBytes(entry))).toString('hex')
  await trx
    .insertInto('audit_log')
    .values({ seq, at, actor, action: record.action, subject: record.subject, data: JSON.stringify(record.data), leaf_hash: hash })
    .execute()
  return seq
}
