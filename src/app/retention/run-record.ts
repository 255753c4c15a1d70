import type { Kysely } from 'kysely'
import type { Database } from '../../store/schema.js'

/** The summary stored with a run once its deletions are done and audited. */
export interface RunSummary {
  readonly records: Record<string, number>
  readonly keysDestroyed: string[]
  readonly suppressionEntriesAdded: number
  readonly kept: Array<{ class: string; records: number; why: string }>
  readonly policySha256: string
}

/** Adds one committed batch to a run, inside the batch's transaction (so progress and deletions commit together). */
export async function recordBatch(trx: Kysely<Database>, runId: string, counts: Record<string, number>, keys: readonly string[], now: number): Promise<void> {
  const last = await trx.selectFrom('retention_run_batches').select((eb) => eb.fn.max('seq').as('seq')).where('run_id', '=', runId).executeTakeFirst()
  const seq = last?.seq === null || last?.seq === undefined ? 0 : Number(last.seq) + 1
  await trx.insertInto('retention_run_batches').values({ run_id: runId, seq, counts: JSON.stringify(counts), keys: JSON.stringify(keys), created_at: now }).execute()
}

/** Totals of every committed batch of a run. */
export async function batchTotals(db: Kysely<Database>, runId: string): Promise<{ records: Record<string, number>; keysDestroyed: string[]; suppressionEntriesAdded: number; batches: number }> {
  const rows = await db.selectFrom('retention_run_batches').select(['counts', 'keys']).where('run_id', '=', runId).orderBy('seq').execute()
  const records: Record<string, number> = {}
  const keysDestroyed: string[] = []
  let suppressionEntriesAdded = 0
  for (const r of rows) {
    for (const [k, v] of Object.entries(JSON.parse(r.counts) as Record<string, number>)) {
      if (k === 'suppression-entries-added') suppressionEntriesAdded += v
      else records[k] = (records[k] ?? 0) + v
    }
    keysDestroyed.push(...(JSON.parse(r.keys) as string[]))
  }
  return { records, keysDestroyed, suppressionEntriesAdded, batches: rows.length }
}
