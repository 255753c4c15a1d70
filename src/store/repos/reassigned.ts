import { randomUUID } from 'node:crypto'
import type { Executor } from '../schema.js'
import type { Subject } from './subjects.js'
import { deleteSubjectRows } from './delete-rows.js'
import { rowLedger, subjectScope } from './row-ledger.js'

/** A Reassigned Numbers Database answer as stored. */
export interface ReassignedRecord {
  /** The date asked about, 00:00 UTC. */
  readonly date: number
  readonly result: 'yes' | 'no' | 'no-data'
  readonly queriedAt: number
}

/** Reassigned-number results (`reassigned_checks`). */
export const reassignedRepo = {
  async add(trx: Executor, subject: Subject, r: ReassignedRecord, now: number): Promise<string> {
    const id = `rnd_${randomUUID()}`
    const row = { id, subject_id: subject.id, date: r.date, result: r.result, queried_at: r.queriedAt, recorded_at: now }
    await trx.insertInto('reassigned_checks').values(row).execute()
    rowLedger.inserted(trx, 'reassigned_checks', [row], subjectScope(subject.bidx))
    return id
  },

  /** Deletes results of one subject by id; returns how many went. */
  deleteIds(trx: Executor, subjectId: string, ids: readonly string[]): Promise<number> {
    return deleteSubjectRows(trx, 'reassigned_checks', subjectId, ids)
  },
}
