import type { Database, Executor } from '../schema.js'
import type { Capabilities } from '../dialects/capabilities.js'
import type { StoredAuditEntry } from '../../core/audit/verify-log.js'
import { canonicalEntryBytes, type AuditEntry, type AuditValue } from '../../core/audit/audit-entry.js'
import { leafHash } from '../../core/audit/merkle.js'
import { fromHex, toHex } from '../../core/audit/bytes.js'
import { sha256 } from '../../crypto/signing.js'

const PAGE = 10_000
const LEAF_HEX = /^[0-9a-f]{64}$/

/** An audit row as stored (columns exactly as the database returns them). */
export type AuditRow = Database['audit_log']

/** What one entry records: who did what, to which pseudonymous subject, with which ids and hashes (never plaintext PII). */
export interface AuditRecord {
  readonly actor: string
  readonly at: number
  readonly action: string
  readonly subject: string | null
  readonly data: Record<string, AuditValue>
}

/**
 * The audit log (`audit_log`): append-only entries whose RFC 9162 leaf hashes form the Merkle
 * tree that signed checkpoints cover. Only the unit of work appends (see app/unit-of-work.ts).
 */
export class AuditLogRepo {
  readonly #dialect: Capabilities

  constructor(dialect: Capabilities) {
    this.#dialect = dialect
  }

  /** Appends one entry inside the caller's write transaction; returns its seq (the 0-based leaf index). */
  async append(trx: Executor, record: AuditRecord): Promise<number> {
    return (await this.appendMany(trx, [record]))[0]!
  }

  /** Appends entries in order inside the caller's write transaction (one lock, one size read); returns their seqs. */
  async appendMany(trx: Executor, records: readonly AuditRecord[]): Promise<number[]> {
    if (records.length === 0) return []
    await this.#dialect.lockAuditLog(trx)
    const first = await this.size(trx)
    const rows = records.map((record, i) => {
      const seq = first + i
      const entry: AuditEntry = { seq, at: record.at, actor: record.actor, action: record.action, subject: record.subject, data: record.data }
      const hash = toHex(leafHash(sha256, canonicalEntryBytes(entry)))
      return { seq, at: record.at, actor: record.actor, action: record.action, subject: record.subject, data: JSON.stringify(record.data), leaf_hash: hash }
    })
    for (let i = 0; i < rows.length; i += 100) await trx.insertInto('audit_log').values(rows.slice(i, i + 100)).execute()
    return rows.map((r) => r.seq)
  }

  /** Entries in the log: `max(seq) + 1` (seqs are gap-free from 0), an index lookup rather than a count. */
  async size(ex: Executor): Promise<number> {
    const last = await ex.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst()
    return last?.seq === null || last?.seq === undefined ? 0 : Number(last.seq) + 1
  }

  /**
   * Reads the log in seq order, a page at a time, and turns each row into the entry it claims to
   * be. Strict, so that any change to a stored byte shows: `data` must be the exact JSON text
   * `append` writes and `leaf_hash` lowercase hex of 32 bytes; otherwise the entry's leaf hash is
   * left empty and verification reports it.
   */
  async entries(ex: Executor): Promise<StoredAuditEntry[]> {
    const out: StoredAuditEntry[] = []
    for (let offset = 0; ; ) {
      const rows = await ex.selectFrom('audit_log').selectAll().orderBy('seq').limit(PAGE).offset(offset).execute()
      for (const r of rows) out.push(storedEntry(r))
      if (rows.length < PAGE) return out
      offset += rows.length
    }
  }

  /** Leaf hashes in seq order; one that is not 64 lowercase hex characters becomes empty (and fails verification). */
  async leafHashes(ex: Executor): Promise<Uint8Array[]> {
    const out: Uint8Array[] = []
    for (let offset = 0; ; ) {
      const rows = await ex.selectFrom('audit_log').select('leaf_hash').orderBy('seq').limit(PAGE).offset(offset).execute()
      for (const r of rows) out.push(LEAF_HEX.test(r.leaf_hash) ? fromHex(r.leaf_hash)! : new Uint8Array(0))
      if (rows.length < PAGE) return out
      offset += rows.length
    }
  }

  /** The stored rows with the given seqs. */
  async rows(ex: Executor, seqs: readonly number[]): Promise<AuditRow[]> {
    const out: AuditRow[] = []
    for (let i = 0; i < seqs.length; i += 400) out.push(...(await ex.selectFrom('audit_log').selectAll().where('seq', 'in', seqs.slice(i, i + 400)).orderBy('seq').execute()))
    return out
  }

  /** `seq`, `action` and `data` of the entries about one subject, and optionally of every entry with one of `actions`. */
  async about(ex: Executor, subject: string, actions: readonly string[] = []): Promise<Array<Pick<AuditRow, 'seq' | 'action' | 'data'>>> {
    const rows = await ex.selectFrom('audit_log').select(['seq', 'action', 'data']).where('subject', '=', subject).orderBy('seq').execute()
    if (actions.length > 0) rows.push(...(await ex.selectFrom('audit_log').select(['seq', 'action', 'data']).where('action', 'in', actions).orderBy('seq').execute()))
    return rows
  }
}

/** One row as an entry (see `AuditLogRepo.entries` for the strictness rules). */
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
