import type { Executor } from '../schema.js'

/** What a run is: a scheduled purge, an erasure request or an access request (export). */
export type RunKind = 'purge' | 'erasure' | 'export'

/**
 * Where a run stands: `running` (a purge deleting batch by batch), `audited` (deletions committed
 * and audited; receipt pending), `done` (receipt written).
 */
export type RunStatus = 'running' | 'audited' | 'done'

/** The summary stored with a run once its deletions are done and audited. */
export interface RunSummary {
  readonly records: Record<string, number>
  readonly keysDestroyed: string[]
  readonly suppressionEntriesAdded: number
  readonly kept: Array<{ class: string; records: number; why: string }>
  readonly policySha256: string
}

/** A stored run. */
export interface RetentionRun {
  readonly id: string
  readonly kind: RunKind
  /** The instant the run purges as of (an erasure: when the request is honored). */
  readonly at: number
  readonly status: RunStatus
  /** The number concerned (blind index), for erasures and exports. */
  readonly subject: string | null
  readonly startedAt: number
  readonly summary: RunSummary | null
  /** Seq of the audit entry the receipt proves. */
  readonly auditSeq: number | null
  readonly receiptPath: string | null
}

/** What the committed batches of a run add up to. */
export interface BatchTotals {
  readonly records: Record<string, number>
  readonly keysDestroyed: string[]
  readonly suppressionEntriesAdded: number
  readonly batches: number
}

/** The count key under which a batch records the suppression entries it added. */
export const SUPPRESSIONS_ADDED = 'suppression-entries-added'

type Row = {
  id: string
  kind: string
  at: number
  status: string
  subject: string | null
  started_at: number
  summary: string | null
  audit_seq: number | null
  receipt_path: string | null
}

function toRun(r: Row): RetentionRun {
  return {
    id: r.id,
    kind: r.kind as RunKind,
    at: r.at,
    status: r.status as RunStatus,
    subject: r.subject,
    startedAt: r.started_at,
    summary: r.summary === null ? null : (JSON.parse(r.summary) as RunSummary),
    auditSeq: r.audit_seq,
    receiptPath: r.receipt_path,
  }
}

/**
 * Retention runs (`retention_runs`) and their committed batches (`retention_run_batches`): every
 * batch records its counts in the transaction that deletes, so a killed purge resumes where it
 * stopped and its receipt counts every batch exactly once.
 */
export const retentionRunsRepo = {
  /** Starts a purge run (status `running`). */
  async start(trx: Executor, id: string, at: number, now: number): Promise<void> {
    await trx.insertInto('retention_runs').values({ id, kind: 'purge', at, status: 'running', subject: null, started_at: now, finished_at: null, summary: null, audit_seq: null, receipt_path: null }).execute()
  },

  /** Stores a run whose work is committed and audited in the same transaction (an erasure, an export). */
  async insertAudited(trx: Executor, run: { id: string; kind: RunKind; at: number; subject: string | null; summary: RunSummary; auditSeq: number }, now: number): Promise<void> {
    await trx
      .insertInto('retention_runs')
      .values({ id: run.id, kind: run.kind, at: run.at, status: 'audited', subject: run.subject, started_at: now, finished_at: null, summary: JSON.stringify(run.summary), audit_seq: run.auditSeq, receipt_path: null })
      .execute()
  },

  async get(ex: Executor, id: string): Promise<RetentionRun | null> {
    const r = await ex.selectFrom('retention_runs').selectAll().where('id', '=', id).executeTakeFirst()
    return r ? toRun(r) : null
  },

  /** Runs in a status (optionally of one kind), oldest first. */
  async withStatus(ex: Executor, status: RunStatus, kind?: RunKind): Promise<RetentionRun[]> {
    let q = ex.selectFrom('retention_runs').selectAll().where('status', '=', status)
    if (kind !== undefined) q = q.where('kind', '=', kind)
    return (await q.orderBy('started_at').orderBy('id').execute()).map(toRun)
  },

  /** Marks a running purge audited, with its summary and the seq of its final audit entry. */
  async markAudited(trx: Executor, id: string, summary: RunSummary, auditSeq: number): Promise<void> {
    await trx.updateTable('retention_runs').set({ status: 'audited', summary: JSON.stringify(summary), audit_seq: auditSeq }).where('id', '=', id).execute()
  },

  /** Marks a run done once its receipt is written. */
  async markDone(trx: Executor, id: string, finishedAt: number, receiptPath: string): Promise<void> {
    await trx.updateTable('retention_runs').set({ status: 'done', finished_at: finishedAt, receipt_path: receiptPath }).where('id', '=', id).execute()
  },

  /** Adds one committed batch to a run, inside the batch's transaction (so progress and deletions commit together). */
  async recordBatch(trx: Executor, runId: string, counts: Record<string, number>, keys: readonly string[], now: number): Promise<void> {
    const last = await trx.selectFrom('retention_run_batches').select((eb) => eb.fn.max('seq').as('seq')).where('run_id', '=', runId).executeTakeFirst()
    const seq = last?.seq === null || last?.seq === undefined ? 0 : Number(last.seq) + 1
    await trx.insertInto('retention_run_batches').values({ run_id: runId, seq, counts: JSON.stringify(counts), keys: JSON.stringify(keys), created_at: now }).execute()
  },

  /** Totals of every committed batch of a run. */
  async batchTotals(ex: Executor, runId: string): Promise<BatchTotals> {
    const rows = await ex.selectFrom('retention_run_batches').select(['counts', 'keys']).where('run_id', '=', runId).orderBy('seq').execute()
    const records: Record<string, number> = {}
    const keysDestroyed: string[] = []
    let suppressionEntriesAdded = 0
    for (const r of rows) {
      for (const [k, v] of Object.entries(JSON.parse(r.counts) as Record<string, number>)) {
        if (k === SUPPRESSIONS_ADDED) suppressionEntriesAdded += v
        else records[k] = (records[k] ?? 0) + v
      }
      keysDestroyed.push(...(JSON.parse(r.keys) as string[]))
    }
    return { records, keysDestroyed, suppressionEntriesAdded, batches: rows.length }
  },
}
