import { sql, type Kysely } from 'kysely'
import type { Database, Executor } from '../schema.js'
import { COVERED_COLUMNS, COVERED_SETTINGS, type CoveredTable } from './row-ledger.js'

/** A `row_audit` record as read. */
export type StoredRowRecord = Database['row_audit']

/** Rows per page while walking a table. */
const PAGE = 2_000

/** The tables whose rows are recorded one by one (registry pages are recorded in aggregates). */
export type RowTable = Exclude<CoveredTable, 'registry_pages'>

/**
 * What full verification reads (ADR 0011): the row records in seq order, each covered table in key
 * order a page at a time, and registry pages per version in prefix order. Reads only.
 */
export const coverageReader = {
  /** Row records after (seq, n), in (seq, n) order. */
  async recordsPage(ex: Executor, after: { seq: number; n: number } | null, limit = PAGE): Promise<StoredRowRecord[]> {
    let q = ex.selectFrom('row_audit').selectAll().orderBy('seq').orderBy('n').limit(limit)
    // a row-value comparison walks the primary key (an OR of the two cases makes SQLite scan more)
    if (after) q = q.where(sql<boolean>`(seq, n) > (${after.seq}, ${after.n})`)
    return (await q.execute()).map((r) => ({ ...r, seq: Number(r.seq), n: Number(r.n) }))
  },

  /** Every record of one table, in (seq, n) order (the last one per key is the row's current state). */
  async tableRecords(ex: Executor, tbl: CoveredTable): Promise<StoredRowRecord[]> {
    return (await ex.selectFrom('row_audit').selectAll().where('tbl', '=', tbl).orderBy('seq').orderBy('n').execute()).map((r) => ({ ...r, seq: Number(r.seq), n: Number(r.n) }))
  },

  /** A page of a covered table's rows (covered columns) after key `after`, in key order; settings: only the covered ones. */
  async rowsPage(ex: Executor, table: RowTable, after: string | null, limit = PAGE): Promise<Array<Record<string, unknown>>> {
    const keyColumn = table === 'settings' ? 'key' : 'id'
    // A dynamic table: the column list is the table's covered columns, the key its primary key.
    const any = ex as unknown as Kysely<Record<string, Record<string, string>>>
    let q = any.selectFrom(table).select([...COVERED_COLUMNS[table]]).orderBy(keyColumn).limit(limit)
    if (after !== null) q = q.where(keyColumn, '>', after)
    if (table === 'settings') q = q.where('key', 'in', [...COVERED_SETTINGS])
    return (await q.execute()) as Array<Record<string, unknown>>
  },

  /** The versions that have pages. */
  async pageVersions(ex: Executor): Promise<string[]> {
    return (await ex.selectFrom('registry_pages').select('version_id').distinct().execute()).map((r) => r.version_id)
  },

  /** A page of one version's registry pages after `after` (prefix), in prefix order. */
  async pagesPage(ex: Executor, versionId: string, after: number | null, limit = PAGE): Promise<Array<Database['registry_pages']>> {
    let q = ex.selectFrom('registry_pages').selectAll().where('version_id', '=', versionId).orderBy('prefix').limit(limit)
    if (after !== null) q = q.where('prefix', '>', after)
    return (await q.execute()).map((r) => ({ ...r, prefix: Number(r.prefix) }))
  },

  /** The retention runs with the given ids: their status and receipt. */
  async runs(ex: Executor, ids: readonly string[]): Promise<Map<string, { status: string; receiptPath: string | null }>> {
    const out = new Map<string, { status: string; receiptPath: string | null }>()
    for (let i = 0; i < ids.length; i += 400) {
      for (const r of await ex.selectFrom('retention_runs').select(['id', 'status', 'receipt_path']).where('id', 'in', ids.slice(i, i + 400)).execute()) out.set(r.id, { status: r.status, receiptPath: r.receipt_path })
    }
    return out
  },

  /**
   * Up to `limit` rows of a table that no record covers yet, with the scope each belongs to (rows
   * stored before the log covered the data, adopted once at upgrade). Decision rows of bulk scrubs
   * are left alone (they are not covered yet).
   */
  async unrecorded(ex: Executor, table: RowTable, limit: number): Promise<Array<{ row: Record<string, unknown>; scope: string }>> {
    const any = ex as unknown as Kysely<Record<string, Record<string, string>>>
    const keyColumn = table === 'settings' ? 'key' : 'id'
    let q = any
      .selectFrom(`${table} as t`)
      .select(COVERED_COLUMNS[table].map((c) => `t.${c}`))
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('row_audit as r').select('r.seq').where('r.tbl', '=', table).whereRef('r.row_key', '=', `t.${keyColumn}`))))
      .orderBy(`t.${keyColumn}`)
      .limit(limit)
    if (table === 'settings') q = q.where('t.key', 'in', [...COVERED_SETTINGS])
    if (table === 'decisions') q = q.where('t.source', 'not like', 'scrub_%')
    const withBidx = ['consent_events', 'dnc_entries', 'reassigned_checks', 'calls', 'contacts'].includes(table)
    if (withBidx) q = q.innerJoin('subjects as s', 's.id', 't.subject_id').select('s.phone_bidx as scope_bidx')
    const rows = (await q.execute()) as Array<Record<string, unknown>>
    return rows.map((r) => {
      const { scope_bidx: bidx, ...row } = r
      return { row, scope: scopeOfRow(table, row, bidx) }
    })
  },

  /** Versions with pages beyond the last recorded page batch, and that batch's last prefix (`null`: none recorded). */
  async unrecordedPageVersions(ex: Executor): Promise<Array<{ version: string; after: number | null }>> {
    const last = new Map<string, number>()
    for (const r of await ex.selectFrom('row_audit').select('row_key').where('tbl', '=', 'registry_pages').execute()) {
      const [v, range] = r.row_key.split('#') as [string, string]
      const hi = range === '*' ? Number.MAX_SAFE_INTEGER : Number(range.split('-')[1])
      last.set(v, Math.max(last.get(v) ?? -1, hi))
    }
    const out: Array<{ version: string; after: number | null }> = []
    for (const version of await coverageReader.pageVersions(ex)) {
      const after = last.get(version) ?? null
      if ((await coverageReader.pagesPage(ex, version, after, 1)).length > 0) out.push({ version, after })
    }
    return out
  },
}

/** The scope a row belongs to (see ADR 0011). */
function scopeOfRow(table: RowTable, row: Record<string, unknown>, bidx: unknown): string {
  switch (table) {
    case 'subjects':
    case 'suppressions':
      return `s:${String(row['phone_bidx'])}`
    case 'consent_events':
    case 'dnc_entries':
    case 'reassigned_checks':
    case 'calls':
    case 'contacts':
      return `s:${String(bidx)}`
    case 'registry_versions':
      return 'registries'
    case 'decisions':
      return 'decisions'
    case 'legal_holds':
      return 'holds'
    case 'api_keys':
      return 'apikeys'
    case 'settings':
      return 'emergencies'
    case 'contact_quarantine':
      return 'quarantine'
    default:
      return table
  }
}
