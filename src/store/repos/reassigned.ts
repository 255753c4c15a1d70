import type { Executor } from '../schema.js'
import type { Subject } from './subjects.js'
import { deleteSubjectRows } from './delete-rows.js'
import { rowLedger, subjectScope } from './row-ledger.js'
import { rowId } from '../row-id.js'

/** A Reassigned Numbers Database answer as stored. */
export interface ReassignedRecord {
  /** The date asked about, 00:00 UTC. */
  readonly date: number
  readonly result: 'yes' | 'no' | 'no-data'
  readonly queriedAt: number
}

/** What makes two results the same: the number's subject, the date asked about, the answer and when it was asked. */
export function identityOf(subjectId: string, r: ReassignedRecord): string {
  return `${subjectId}|${r.date}|${r.result}|${r.queriedAt}`
}

/** Reassigned-number results (`reassigned_checks`). */
export const reassignedRepo = {
  async add(trx: Executor, subject: Subject, r: ReassignedRecord, now: number): Promise<string> {
    const id = rowId('rnd')
    const row = { id, subject_id: subject.id, date: r.date, result: r.result, queried_at: r.queriedAt, recorded_at: now }
    await trx.insertInto('reassigned_checks').values(row).execute()
    rowLedger.inserted(trx, 'reassigned_checks', [row], subjectScope(subject.bidx))
    return id
  },

  /** Adds many results inside the caller's transaction (a results file); returns their ids in order. */
  async addMany(trx: Executor, items: ReadonlyArray<{ subject: Subject; record: ReassignedRecord }>, now: number): Promise<string[]> {
    const rows = items.map((it) => ({ id: rowId('rnd'), subject_id: it.subject.id, date: it.record.date, result: it.record.result, queried_at: it.record.queriedAt, recorded_at: now }))
    for (let i = 0; i < rows.length; i += 500) await trx.insertInto('reassigned_checks').values(rows.slice(i, i + 500)).execute()
    rows.forEach((row, i) => rowLedger.inserted(trx, 'reassigned_checks', [row], subjectScope(items[i]!.subject.bidx)))
    return rows.map((r) => r.id)
  },

  /**
   * The results stored for some subjects, as identity keys (`identityOf`): what a results file
   * is checked against so a result loaded twice is stored once.
   */
  async identities(ex: Executor, subjectIds: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>()
    for (let i = 0; i < subjectIds.length; i += 400) {
      const rows = await ex.selectFrom('reassigned_checks').select(['subject_id', 'date', 'result', 'queried_at']).where('subject_id', 'in', subjectIds.slice(i, i + 400)).execute()
      for (const r of rows) out.add(identityOf(r.subject_id, { date: Number(r.date), result: r.result as ReassignedRecord['result'], queriedAt: Number(r.queried_at) }))
    }
    return out
  },

  /** Deletes results of one subject by id; returns how many went. */
  deleteIds(trx: Executor, subjectId: string, ids: readonly string[]): Promise<number> {
    return deleteSubjectRows(trx, 'reassigned_checks', subjectId, ids)
  },
}
