import type { Kysely } from 'kysely'
import type { Database } from '../../store/schema.js'
import type { StoredAuditEntry } from '../../core/audit/verify-log.js'
import type { AuditValue } from '../../core/audit/audit-entry.js'
import { fromHex } from '../../core/audit/bytes.js'

const PAGE = 10_000
const LEAF_HEX = /^[0-9a-f]{64}$/

/** An audit row as stored (columns exactly as the database returns them). */
export type AuditRow = Database['audit_log']

/**
 * Reads the audit log in seq order, a page at a time, and turns each row into the entry it claims
 * to be. Strict, so that any change to a stored byte shows: `data` must be the exact JSON text
 * `appendAudit` writes (re-serializing it must give the same text) and `leaf_hash` lowercase hex
 * of 32 bytes; otherwise the entry's leaf hash is left empty and verification reports it.
 */
export async function loadStoredEntries(db: Kysely<Database>): Promise<StoredAuditEntry[]> {
  const out: StoredAuditEntry[] = []
  let offset = 0
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().orderBy('seq').limit(PAGE).offset(offset).execute()
    for (const r of rows) out.push(storedEntry(r))
    if (rows.length < PAGE) return out
    offset += rows.length
  }
}

/** Leaf hashes in seq order, a page at a time; a hash that is not 64 lowercase hex characters becomes empty (and fails verification). */
export async function loadLeafHashes(db: Kysely<Database>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = []
  let offset = 0
  for (;;) {
    const rows = await db.selectFrom('audit_log').select('leaf_hash').orderBy('seq').limit(PAGE).offset(offset).execute()
    for (const r of rows) out.push(LEAF_HEX.test(r.leaf_hash) ? fromHex(r.leaf_hash)! : new Uint8Array(0))
    if (rows.length < PAGE) return out
    offset += rows.length
  }
}

/** One row as an entry (see `loadStoredEntries` for the strictness rules). */
export function storedEntry(r: AuditRow): StoredAuditEntry {
  const data = parseData(r.data)
  const leaf = typeof r.leaf_hash === 'string' && LEAF_HEX.test(r.leaf_hash) && data !== null ? fromHex(r.leaf_hash)! : new Uint8Array(0)
  return {
    seq: typeof r.seq === 'number' ? r.seq : Number.NaN,
    at: typeof r.at === 'number' ? r.at : Number.NaN,
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    // A malformed data column makes the entry malformed (reported as BAD_ENTRY at its seq).
    data: data ?? (null as unknown as Record<string, AuditValue>),
    leafHash: leaf,
  }
}

function parseData(text: unknown): Record<string, AuditValue> | null {
  if (typeof text !== 'string') return null
  try {
    const v: unknown = JSON.parse(text)
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return null
    return JSON.stringify(v) === text ? (v as Record<string, AuditValue>) : null
  } catch {
    return null
  }
}
