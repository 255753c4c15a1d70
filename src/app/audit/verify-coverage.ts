import { existsSync } from 'node:fs'
import type { StoredAuditEntry } from '../../core/audit/verify-log.js'
import { isError } from '../../core/errors.js'
import type { Executor } from '../../store/schema.js'
import type { RowHeads } from '../../store/repos/row-heads.js'
import { coverageReader, type RowTable, type StoredRowRecord } from '../../store/repos/coverage-reader.js'
import { aggregateSha256, COVERED_COLUMNS, isHeaded, recordsSha256, registryScope, rowKey, rowSha256, type CoveredTable } from '../../store/repos/row-ledger.js'

/** What full verification of the data found wrong (stable codes, beside the log's own). */
export const COVERAGE_PROBLEMS = ['LEDGER_MISMATCH', 'ROW_MISMATCH', 'ROW_MISSING', 'ROW_UNAUDITED', 'ROW_RESURRECTED', 'HEAD_MISMATCH', 'DELETION_UNAUDITED'] as const
export type CoverageProblem = (typeof COVERAGE_PROBLEMS)[number]

/** What the data verification reports. */
export type CoverageReport =
  | {
      readonly ok: true
      /** Covered rows stored and matching the entries that wrote them. */
      readonly rows: number
      /** Row records (`row_audit`) checked against their entries' digests. */
      readonly records: number
      /** Scope heads checked. */
      readonly heads: number
      /** Rows no audited write records yet (decision rows of bulk scrubs, see ADR 0011). */
      readonly uncoveredRows: number
      /** Runs that deleted rows and have no receipt file yet (a purge still running, or killed before its receipt). */
      readonly pendingReceipts: readonly string[]
    }
  | { readonly ok: false; readonly code: CoverageProblem; readonly firstBadSeq: number | null; readonly problem: string }

/** The actions that may delete covered rows (retention steps that end in a receipt, and the discard of an abandoned staged registry version, ADR 0015). */
const DELETING_ACTIONS = new Set(['registry.discard', 'retention.purge.subjects', 'retention.purge.decisions', 'retention.purge.registry-version', 'retention.purge.disclosures', 'retention.purge.quarantine', 'subject.erase'])

/** The tables recorded row by row, in the order they are walked. */
const ROW_TABLES: readonly RowTable[] = (Object.keys(COVERED_COLUMNS) as CoveredTable[]).filter((t): t is RowTable => t !== 'registry_pages')

class Found extends Error {
  constructor(readonly report: Extract<CoverageReport, { ok: false }>) {
    super(report.problem)
  }
}

const fail = (code: CoverageProblem, firstBadSeq: number | null, problem: string): never => {
  throw new Found({ ok: false, code, firstBadSeq, problem })
}

/**
 * Verifies that the log covers the data, both ways (ADR 0011): every row record matches the
 * digest its audit entry carries (so records are as tamper-evident as the log); every stored
 * covered row matches the last record of it; every row a record says exists is stored; a row
 * recorded as deleted was deleted by a retention step (purge or erasure) and is not back; and
 * every scope head equals the keyed sum of its rows and names the last entry that wrote it.
 * `entries` are the log's entries, already verified against the signed checkpoints.
 */
export async function verifyCoverage(db: Executor, entries: readonly StoredAuditEntry[], heads: RowHeads): Promise<CoverageReport> {
  try {
    return await walk(db, entries, heads)
  } catch (err) {
    if (err instanceof Found) return err.report
    if (isError(err, 'AUDIT_TAMPERED')) return { ok: false, code: 'HEAD_MISMATCH', firstBadSeq: null, problem: err.message }
    throw err
  }
}

async function walk(db: Executor, entries: readonly StoredAuditEntry[], heads: RowHeads): Promise<CoverageReport> {
  const bySeq = new Map(entries.map((e) => [e.seq, e]))
  const scopeSeq = new Map<string, number>()
  const runs = new Set<string>()
  const seen = new Set<number>()
  let records = 0

  // 1. Every group of records against its entry's digest.
  const finish = (seq: number, group: StoredRowRecord[]): void => {
    const e = bySeq.get(seq)
    if (!e) fail('LEDGER_MISMATCH', seq, `row records name audit entry ${seq}, which does not exist`)
    const digest = e!.data['ledgerSha256']
    const mapped = group.map((r) => ({ tbl: r.tbl, key: r.row_key, scope: r.scope, op: r.op, hash: r.row_sha256 }))
    if (typeof digest !== 'string' || e!.data['ledgerRows'] !== group.length || group.some((r, i) => r.n !== i) || recordsSha256(mapped) !== digest) {
      fail('LEDGER_MISMATCH', seq, `the row records of entry ${seq} (${e!.action}) differ from the digest the entry carries (a record was added, changed or removed)`)
    }
    for (const r of group) {
      scopeSeq.set(r.scope, Math.max(scopeSeq.get(r.scope) ?? -1, seq))
      if (r.op !== 'gone') continue
      if (!DELETING_ACTIONS.has(e!.action)) fail('DELETION_UNAUDITED', seq, `entry ${seq} (${e!.action}) records a deletion, which only retention may do`)
      const run = e!.data['run']
      if (typeof run === 'string') runs.add(run)
    }
    seen.add(seq)
    records += group.length
  }
  let group: StoredRowRecord[] = []
  for (let after: { seq: number; n: number } | null = null; ; ) {
    const page = await coverageReader.recordsPage(db, after)
    for (const r of page) {
      if (group.length > 0 && group[0]!.seq !== r.seq) {
        finish(group[0]!.seq, group)
        group = []
      }
      group.push(r)
    }
    if (page.length === 0) break
    after = { seq: page.at(-1)!.seq, n: page.at(-1)!.n }
  }
  if (group.length > 0) finish(group[0]!.seq, group)
  for (const e of entries) if (typeof e.data['ledgerSha256'] === 'string' && !seen.has(e.seq)) fail('LEDGER_MISMATCH', e.seq, `the row records of entry ${e.seq} (${e.action}) are gone`)

  // 2. Every covered table, row by row, against the last record of each row.
  const sums = new Map<string, ReturnType<RowHeads['accumulator']>>()
  const sumOf = (scope: string) => {
    let a = sums.get(scope)
    if (!a) sums.set(scope, (a = heads.accumulator()))
    return a
  }
  let rows = 0
  let uncovered = 0
  for (const table of ROW_TABLES) {
    const latest = new Map<string, StoredRowRecord>()
    for (const r of await coverageReader.tableRecords(db, table)) latest.set(r.row_key, r)
    const batches = new Map<string, Array<{ id: string; hash: string }>>()
    for (let after: string | null = null; ; ) {
      const page = await coverageReader.rowsPage(db, table, after)
      for (const row of page) {
        const key = rowKey(table, row)
        const hash = rowSha256(table, row)
        const rec = latest.get(key)
        if (!rec) {
          const source = table === 'decisions' ? String(row['source']) : ''
          if (source.startsWith('scrub_')) {
            uncovered++
            continue
          }
          if (source.startsWith('batch_')) {
            const list = batches.get(source) ?? []
            list.push({ id: key, hash })
            batches.set(source, list)
            rows++
            continue
          }
          fail('ROW_UNAUDITED', null, `${table} row ${key} was written by no audited write (inserted behind Dialward)`)
        }
        if (rec!.op === 'gone') fail('ROW_RESURRECTED', rec!.seq, `${table} row ${key} was deleted by audit entry ${rec!.seq} and is back`)
        if (rec!.row_sha256 !== hash) fail('ROW_MISMATCH', rec!.seq, `${table} row ${key} differs from what audit entry ${rec!.seq} wrote (changed behind Dialward)`)
        latest.delete(key)
        rows++
        if (isHeaded(rec!.scope)) sumOf(rec!.scope).addHashed(table, key, hash)
      }
      if (page.length === 0) break
      after = rowKey(table, page.at(-1)!)
    }
    const gone = new Map<string, Array<{ id: string; hash: string }>>()
    for (const [key, rec] of latest) if (rec.op === 'gone' && rec.scope.startsWith('decisions:') && rec.row_sha256 !== null) gone.set(rec.scope, [...(gone.get(rec.scope) ?? []), { id: key, hash: rec.row_sha256 }])
    for (const [key, rec] of latest) {
      if (rec.op !== 'put') continue
      if (table === 'decisions' && key.startsWith('batch:')) {
        const source = key.slice('batch:'.length)
        const members = [...(batches.get(source) ?? []), ...(gone.get(`decisions:${source}`) ?? [])].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        if (aggregateSha256(members.map((m) => m.hash)) !== rec.row_sha256) fail('ROW_MISMATCH', rec.seq, `the decisions of batch ${source} differ from what audit entry ${rec.seq} wrote (a row was changed or deleted behind Dialward)`)
        batches.delete(source)
        continue
      }
      fail('ROW_MISSING', rec.seq, `${table} row ${key} written by audit entry ${rec.seq} is gone, and no audited purge or erasure deleted it`)
    }
    for (const source of batches.keys()) fail('ROW_UNAUDITED', null, `decisions of batch ${source} were written by no audited write`)
  }

  // 3. Registry pages, per version, against the aggregates their imports recorded.
  const versions = new Map<string, { ranges: Array<{ lo: number; hi: number; hash: string; seq: number }>; retired: boolean }>()
  for (const r of await coverageReader.tableRecords(db, 'registry_pages')) {
    const [v, range] = r.row_key.split('#') as [string, string]
    const info = versions.get(v) ?? { ranges: [], retired: false }
    versions.set(v, info)
    if (range === '*') info.retired = true
    else {
      const [lo, hi] = range.split('-').map(Number) as [number, number]
      info.ranges.push({ lo, hi, hash: r.row_sha256 ?? '', seq: r.seq })
    }
  }
  for (const v of new Set([...versions.keys(), ...(await coverageReader.pageVersions(db))])) {
    const info = versions.get(v)
    if (info?.retired) continue
    const ranges = [...(info?.ranges ?? [])].sort((a, b) => a.lo - b.lo)
    for (let i = 1; i < ranges.length; i++) if (ranges[i]!.lo <= ranges[i - 1]!.hi) fail('ROW_UNAUDITED', ranges[i]!.seq, `registry version ${v}: page batches of entries ${ranges[i - 1]!.seq} and ${ranges[i]!.seq} overlap`)
    const hashes = ranges.map(() => [] as string[])
    let at = 0
    for (let after: number | null = null; ; ) {
      const page = await coverageReader.pagesPage(db, v, after)
      for (const p of page) {
        while (at < ranges.length && p.prefix > ranges[at]!.hi) at++
        if (at >= ranges.length || p.prefix < ranges[at]!.lo) fail('ROW_UNAUDITED', null, `registry version ${v} page ${p.prefix} was written by no audited import`)
        const hash = rowSha256('registry_pages', p)
        hashes[at]!.push(hash)
        sumOf(registryScope(v)).addHashed('registry_pages', rowKey('registry_pages', p), hash)
        rows++
      }
      if (page.length === 0) break
      after = page.at(-1)!.prefix
    }
    ranges.forEach((r, i) => {
      if (aggregateSha256(hashes[i]!) !== r.hash) fail('ROW_MISMATCH', r.seq, `registry version ${v}: the pages ${r.lo}..${r.hi} differ from what audit entry ${r.seq} imported (a page was changed or deleted behind Dialward)`)
    })
  }

  // 4. Every head against the keyed sum of its rows and the last entry that wrote its scope.
  const all = await heads.all(db)
  for (const [scope, a] of sums) {
    const h = all.get(scope)
    const got = a.result()
    if (!h || h.rows !== got.rows || h.digest !== got.digest) fail('HEAD_MISMATCH', scopeSeq.get(scope) ?? null, `the head of ${scope} does not match its rows`)
  }
  for (const [scope, h] of all) {
    if (!sums.has(scope) && h.rows !== 0) fail('HEAD_MISMATCH', h.seq, `the head of ${scope} counts ${h.rows} rows, none of which is stored`)
    if (scopeSeq.get(scope) !== h.seq) fail('HEAD_MISMATCH', h.seq, `the head of ${scope} does not name the last entry that wrote its rows`)
  }
  for (const [scope, seq] of scopeSeq) {
    if (!isHeaded(scope) || all.has(scope)) continue
    if (scope.startsWith('r:') && versions.get(scope.slice(2))?.retired) continue
    fail('HEAD_MISMATCH', seq, `the head of ${scope} is gone`)
  }

  // 5. Runs that deleted rows: each should have its receipt (a purge may still be finishing).
  const pending: string[] = []
  const known = await coverageReader.runs(db, [...runs])
  for (const id of runs) {
    const r = known.get(id)
    if (!r || r.status !== 'done' || r.receiptPath === null || !existsSync(r.receiptPath)) pending.push(id)
  }
  return { ok: true, rows, records, heads: all.size, uncoveredRows: uncovered, pendingReceipts: pending.sort() }
}
