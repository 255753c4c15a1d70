import { createHash } from 'node:crypto'
import type { Database, Executor } from '../schema.js'
import type { Capabilities } from '../dialects/capabilities.js'
import { DialwardError } from '../../core/errors.js'
import { addSum, parseSum, sumHex, type CoverageMac } from '../../crypto/coverage-mac.js'

/**
 * The covered tables and the columns a row's hash is computed over, in order (ADR 0011). Columns
 * added later are not covered until they are listed here; `api_keys.last_used_at` is bookkeeping
 * written outside audited writes and is left out on purpose.
 */
export const COVERED_COLUMNS = {
  subjects: ['id', 'phone_bidx', 'key_id', 'phone_ct', 'created_at'],
  consent_events: ['id', 'subject_id', 'type', 'seller', 'seller_key', 'kind', 'channel', 'via', 'at', 'disclosure_id', 'source_ct', 'ip_ct', 'user_agent_ct', 'words_ct', 'recorded_at', 'trustedform_ct', 'leadid_ct'],
  dnc_entries: ['id', 'subject_id', 'seller', 'seller_key', 'at', 'source_ct', 'recorded_at'],
  reassigned_checks: ['id', 'subject_id', 'date', 'result', 'queried_at', 'recorded_at'],
  calls: ['id', 'subject_id', 'campaign_id', 'seller_key', 'at', 'outcome', 'duration_s', 'recorded_at'],
  suppressions: ['id', 'phone_bidx', 'seller_key', 'at', 'origin', 'created_at'],
  campaigns: ['id', 'seller', 'seller_key', 'purpose', 'dialing', 'channel', 'created_at', 'data_purpose'],
  registry_versions: ['id', 'registry', 'as_of', 'imported_at', 'key_id', 'numbers', 'lines', 'content_sha256', 'coverage', 'details'],
  registry_pages: ['version_id', 'prefix', 'page_ct'],
  decisions: ['id', 'phone_bidx', 'campaign_id', 'source', 'at', 'verdict', 'reasons', 'next_allowed_at', 'versions', 'decided_at'],
  disclosures: ['id', 'sha256', 'key_id', 'text_ct', 'created_at'],
  legal_holds: ['id', 'scope', 'target', 'reason_key_id', 'reason_ct', 'created_at', 'until', 'released_at'],
  api_keys: ['id', 'name', 'role', 'secret_sha256', 'created_at', 'expires_at', 'revoked_at'],
  settings: ['key', 'value'],
  contacts: ['id', 'subject_id', 'purpose', 'verified_at', 'fields', 'fields_ct', 'created_at', 'updated_at'],
  contact_quarantine: ['id', 'import_id', 'row_number', 'purpose', 'reason', 'key_id', 'phone_ct', 'fields_ct', 'created_at'],
} as const satisfies Record<string, readonly string[]>

/** A table whose rows the audit log covers. */
export type CoveredTable = keyof typeof COVERED_COLUMNS

/** The settings rows that are covered (the rest are bookkeeping: origin, bindings, rotation state). */
export const COVERED_SETTINGS = ['gate.emergencies'] as const

const ROW_DOMAIN = 'dialward.row.v1'

/** A column value in the canonical form rows are hashed in: bytes as `{"b":hex}`, the rest as JSON has them. */
function canonicalValue(v: unknown): unknown {
  if (v === null || v === undefined) return null
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return { b: Buffer.from(v).toString('hex') }
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TypeError('a covered column holds a non-finite number')
    return v
  }
  if (typeof v === 'string' || typeof v === 'boolean') return v
  if (typeof v === 'bigint') return Number(v)
  throw new TypeError(`a covered column holds a ${typeof v}`)
}

/**
 * The SHA-256 (hex) of a row of a covered table: over the domain tag, the table name and the JSON
 * array of its covered columns in order (bytes as `{"b":hex}`). The same row read back from either
 * engine hashes the same.
 */
export function rowSha256(table: CoveredTable, row: Readonly<Record<string, unknown>>): string {
  const values = COVERED_COLUMNS[table].map((c) => canonicalValue(row[c]))
  return createHash('sha256').update(`${ROW_DOMAIN}\n${table}\n${JSON.stringify(values)}`).digest('hex')
}

/** The key a row is recorded under: its id (`key` for settings, `version:prefix` for a registry page). */
export function rowKey(table: CoveredTable, row: Readonly<Record<string, unknown>>): string {
  if (table === 'settings') return String(row['key'])
  if (table === 'registry_pages') return `${String(row['version_id'])}:${String(row['prefix'])}`
  return String(row['id'])
}

/** The digest of many member rows recorded as one aggregate (a decision batch, a batch of registry pages): SHA-256 over their hashes in key order. */
export function aggregateSha256(memberHashes: readonly string[]): string {
  const h = createHash('sha256').update(`${ROW_DOMAIN}\naggregate\n`)
  for (const m of memberHashes) h.update(`${m}\n`)
  return h.digest('hex')
}

/** One change a write made to a covered row, as its repository reports it. */
export interface RowChange {
  readonly tbl: CoveredTable
  /** The row's key, or an aggregate's key (`batch:<source>`, `<version>#<lo>-<hi>`, `<version>#*`). */
  readonly key: string
  /** The scope the row belongs to (`s:<blind index>`, `r:<version>`, `registries` …); `null` when an update or delete should take it from the row's last record. */
  readonly scope: string | null
  readonly op: 'insert' | 'update' | 'delete'
  /** The row's hash after the change, or the deleted row's hash; `null` for a deletion of everything under an aggregate key. */
  readonly hash: string | null
  /** For an aggregate: its members' keys and hashes (they count toward the scope's head one by one). */
  readonly members?: ReadonlyArray<{ readonly key: string; readonly hash: string }>
}

/** A change as `row_audit` stores it. */
export interface RowRecord {
  readonly tbl: string
  readonly key: string
  readonly scope: string
  readonly op: 'put' | 'gone'
  readonly hash: string | null
}

/** The digest an audit entry carries over the records of its changes (`ledgerSha256`). */
export function recordsSha256(records: readonly RowRecord[]): string {
  const h = createHash('sha256').update(`${ROW_DOMAIN}\nrecords\n`)
  for (const r of records) h.update(`${r.tbl}\t${r.key}\t${r.scope}\t${r.op}\t${r.hash ?? '-'}\n`)
  return h.digest('hex')
}

/** Scopes with a head (the gate reads them): a number's rows, a registry version's pages, the registry versions, campaigns, emergencies, legal holds. */
export function isHeaded(scope: string): boolean {
  return scope.startsWith('s:') || scope.startsWith('r:') || scope === 'registries' || scope === 'campaigns' || scope === 'emergencies' || scope === 'holds'
}

/** The scope of a number's rows. */
export const subjectScope = (bidx: string): string => `s:${bidx}`
/** The scope of a registry version's pages. */
export const registryScope = (versionId: string): string => `r:${versionId}`

/** The changes of one open write transaction. */
class PendingChanges {
  readonly changes: RowChange[] = []
}

const open = new WeakMap<object, PendingChanges>()

/**
 * The row ledger: repositories report every change they make to a covered table inside the
 * write transaction they were given (`rowLedger.insert/update/deleted/aggregate`); the unit of
 * work opens the transaction's ledger, gives each audit entry the digest of its records, and
 * commits the records and the scope heads with the entries (`RowLedger.commit`). A covered table
 * written on an executor that is not an audited write transaction is an error: nothing writes
 * covered rows behind the log.
 */
export const rowLedger = {
  /** Opens the ledger of a write transaction (the unit of work). */
  begin(trx: Executor): void {
    open.set(trx, new PendingChanges())
  },

  /** Closes it and returns its changes in order. */
  end(trx: Executor): RowChange[] {
    const p = open.get(trx)
    open.delete(trx)
    return p?.changes ?? []
  },

  /** How many changes the transaction has reported so far (audit notes claim the changes up to a mark). */
  mark(trx: Executor): number {
    return open.get(trx)?.changes.length ?? 0
  },

  /** Reports inserted rows. */
  inserted(trx: Executor, table: CoveredTable, rows: ReadonlyArray<Readonly<Record<string, unknown>>>, scope: string): void {
    const p = pending(trx, table)
    for (const row of rows) p.changes.push({ tbl: table, key: rowKey(table, row), scope, op: 'insert', hash: rowSha256(table, row) })
  },

  /** Reports a row as it is after an update (give the full row). */
  updated(trx: Executor, table: CoveredTable, row: Readonly<Record<string, unknown>>, scope: string | null = null): void {
    pending(trx, table).changes.push({ tbl: table, key: rowKey(table, row), scope, op: 'update', hash: rowSha256(table, row) })
  },

  /** Reports deleted rows (as `DELETE … RETURNING` gave them back, all covered columns). */
  deleted(trx: Executor, table: CoveredTable, rows: ReadonlyArray<Readonly<Record<string, unknown>>>, scope: string | null = null): void {
    const p = pending(trx, table)
    for (const row of rows) p.changes.push({ tbl: table, key: rowKey(table, row), scope, op: 'delete', hash: rowSha256(table, row) })
  },

  /** Reports rows inserted as one aggregate record (members in key order). */
  aggregate(trx: Executor, table: CoveredTable, key: string, scope: string, rows: ReadonlyArray<Readonly<Record<string, unknown>>>): void {
    const members = rows.map((row) => ({ key: rowKey(table, row), hash: rowSha256(table, row) }))
    pending(trx, table).changes.push({ tbl: table, key, scope, op: 'insert', hash: aggregateSha256(members.map((m) => m.hash)), members })
  },

  /** Reports that every row under an aggregate key is being deleted (a purged registry version's pages): its scope head goes with it. */
  deletedAll(trx: Executor, table: CoveredTable, key: string, scope: string): void {
    pending(trx, table).changes.push({ tbl: table, key, scope, op: 'delete', hash: null })
  },
}

function pending(trx: Executor, table: CoveredTable): PendingChanges {
  const p = open.get(trx)
  if (!p) throw new DialwardError('INTERNAL', `${table} written outside an audited unit of work`)
  return p
}

/** A scope head as stored. */
export interface RowHead {
  readonly scope: string
  readonly rows: number
  readonly digest: string
  readonly seq: number
  readonly mac: string
}

/** One audit entry's share of a transaction's changes. */
export interface LedgerGroup {
  readonly seq: number
  readonly changes: readonly RowChange[]
}

/**
 * Writes a transaction's row records (`row_audit`) and updates the heads of the scopes it touched
 * (`row_heads`), inside the transaction, once its audit entries have their seqs.
 */
export class RowLedger {
  readonly #mac: CoverageMac | null
  readonly #dialect: Capabilities | null

  /**
   * `mac` is needed for writes to headed scopes (a process without the keyring may write decision
   * batches only); `dialect` gives the engine's bulk insert for records and new heads.
   */
  constructor(mac: CoverageMac | null, dialect: Capabilities | null = null) {
    this.#mac = mac
    this.#dialect = dialect
  }

  /** The records of changes (what an entry's digest covers). Changes whose scope comes from the row's last record are resolved first. */
  async records(trx: Executor, changes: readonly RowChange[]): Promise<RowRecord[]> {
    const unscoped = changes.filter((c) => c.scope === null)
    const latest = unscoped.length === 0 ? new Map<string, RowRecord>() : await this.#latestMany(trx, unscoped)
    return changes.map((c) => {
      const scope = c.scope ?? latest.get(`${c.tbl}\0${c.key}`)?.scope ?? '?'
      return { tbl: c.tbl, key: c.key, scope, op: c.op === 'delete' ? 'gone' : 'put', hash: c.hash }
    })
  }

  /**
   * Stores the records of each group under its entry's seq and moves the heads of their scopes.
   * The heads and last records it needs are read in batches, and records and new heads are
   * written by the engine's bulk insert, so a chunk of thousands of rows costs a few statements.
   */
  async commit(trx: Executor, groups: ReadonlyArray<{ seq: number; changes: readonly RowChange[]; records: readonly RowRecord[] }>): Promise<void> {
    // what the heads and the previous versions of changed rows are before this transaction, read in batches
    const headed = new Set<string>()
    const changedBefore: RowChange[] = []
    const insertedInTx = new Set<string>()
    for (const g of groups) {
      for (let i = 0; i < g.changes.length; i++) {
        const c = g.changes[i]!
        const r = g.records[i]!
        if (!isHeaded(r.scope)) continue
        headed.add(r.scope)
        const k = `${r.tbl}\0${r.key}`
        if (c.op !== 'insert' && !insertedInTx.has(k)) changedBefore.push(c)
        insertedInTx.add(k)
      }
    }
    const stored = await this.#headsOf(trx, [...headed])
    const previousBefore = changedBefore.length === 0 ? new Map<string, RowRecord>() : await this.#latestMany(trx, changedBefore)

    const heads = new Map<string, { rows: number; sum: bigint; seq: number; stored: boolean; gone: boolean }>()
    const latestInTx = new Map<string, RowRecord>()
    const head = (scope: string) => {
      let h = heads.get(scope)
      if (!h) {
        const row = stored.get(scope)
        if (row) {
          const sum = parseSum(row.digest)
          if (sum === null || row.mac !== this.#requireMac(scope).headMac(scope, Number(row.rows), row.digest, Number(row.seq))) {
            throw new DialwardError('AUDIT_TAMPERED', `the head of ${scopeName(scope)} was changed behind Dialward: run "dialward audit verify"`)
          }
          h = { rows: Number(row.rows), sum, seq: Number(row.seq), stored: true, gone: false }
        } else h = { rows: 0, sum: 0n, seq: -1, stored: false, gone: false }
        heads.set(scope, h)
      }
      return h
    }
    const rows: Array<Database['row_audit']> = []
    for (const g of groups) {
      for (let i = 0; i < g.changes.length; i++) {
        const c = g.changes[i]!
        const r = g.records[i]!
        rows.push({ seq: g.seq, n: i, tbl: r.tbl, row_key: r.key, scope: r.scope, op: r.op, row_sha256: r.hash })
        const k = `${r.tbl}\0${r.key}`
        if (!isHeaded(r.scope)) {
          latestInTx.set(k, r)
          continue
        }
        const mac = this.#requireMac(r.scope)
        const h = head(r.scope)
        if (c.op === 'delete' && c.hash === null) {
          h.gone = true
        } else {
          if (c.op !== 'insert') {
            const previous = latestInTx.get(k) ?? previousBefore.get(k)
            if (previous?.op === 'put' && previous.hash !== null) {
              h.sum = addSum(h.sum, mac.contribution(r.tbl, r.key, previous.hash), -1)
              h.rows--
            }
          }
          if (c.op !== 'delete') {
            if (c.members) for (const m of c.members) h.sum = addSum(h.sum, mac.contribution(r.tbl, m.key, m.hash))
            else h.sum = addSum(h.sum, mac.contribution(r.tbl, r.key, r.hash!))
            h.rows += c.members ? c.members.length : 1
          }
        }
        h.seq = g.seq
        latestInTx.set(k, r)
      }
    }
    await this.#insertMany(trx, 'row_audit', rows)
    const fresh: Array<Database['row_heads']> = []
    for (const [scope, h] of heads) {
      if (h.gone) {
        await trx.deleteFrom('row_heads').where('scope', '=', scope).execute()
        continue
      }
      const digest = sumHex(h.sum)
      const mac = this.#requireMac(scope).headMac(scope, h.rows, digest, h.seq)
      if (h.stored) await trx.updateTable('row_heads').set({ rows: h.rows, digest, seq: h.seq, mac }).where('scope', '=', scope).execute()
      else fresh.push({ scope, rows: h.rows, digest, seq: h.seq, mac })
    }
    await this.#insertMany(trx, 'row_heads', fresh)
  }

  async #insertMany<T extends 'row_audit' | 'row_heads'>(trx: Executor, table: T, rows: ReadonlyArray<Database[T]>): Promise<void> {
    if (rows.length === 0) return
    if (this.#dialect) return this.#dialect.insertMany(trx, table, rows)
    for (let i = 0; i < rows.length; i += 100) await trx.insertInto(table).values(rows.slice(i, i + 100) as never).execute()
  }

  /** The stored heads of scopes (not yet checked), 400 per query. */
  async #headsOf(trx: Executor, scopes: readonly string[]): Promise<Map<string, Database['row_heads']>> {
    const out = new Map<string, Database['row_heads']>()
    for (let i = 0; i < scopes.length; i += LOOKUP) {
      for (const row of await trx.selectFrom('row_heads').selectAll().where('scope', 'in', scopes.slice(i, i + LOOKUP)).execute()) out.set(row.scope, row)
    }
    return out
  }

  #requireMac(scope: string): CoverageMac {
    if (!this.#mac) throw new DialwardError('INTERNAL', `${scopeName(scope)} written by a process without the keyring`)
    return this.#mac
  }

  /** The last stored record of each changed row (by `tbl\0key`), 400 keys per query and table. */
  async #latestMany(trx: Executor, changes: readonly RowChange[]): Promise<Map<string, RowRecord>> {
    const byTable = new Map<string, Set<string>>()
    for (const c of changes) {
      const keys = byTable.get(c.tbl) ?? new Set<string>()
      keys.add(c.key)
      byTable.set(c.tbl, keys)
    }
    const out = new Map<string, RowRecord & { seq: number; n: number }>()
    for (const [tbl, set] of byTable) {
      const keys = [...set]
      for (let i = 0; i < keys.length; i += LOOKUP) {
        const found = await trx.selectFrom('row_audit').select(['tbl', 'row_key', 'scope', 'op', 'row_sha256', 'seq', 'n']).where('tbl', '=', tbl).where('row_key', 'in', keys.slice(i, i + LOOKUP)).execute()
        for (const r of found) {
          const k = `${r.tbl}\0${r.row_key}`
          const seq = Number(r.seq)
          const n = Number(r.n)
          const had = out.get(k)
          if (had && (had.seq > seq || (had.seq === seq && had.n > n))) continue
          out.set(k, { tbl: r.tbl, key: r.row_key, scope: r.scope, op: r.op, hash: r.row_sha256, seq, n })
        }
      }
    }
    return out
  }
}

/** Keys per `IN (…)` lookup. */
const LOOKUP = 400

/** A scope in words, for messages (never a number: scopes name numbers only by blind index). */
export function scopeName(scope: string): string {
  if (scope.startsWith('s:')) return `the records of subject ${scope.slice(2)}`
  if (scope.startsWith('r:')) return `the pages of registry version ${scope.slice(2)}`
  return `the ${scope}`
}
