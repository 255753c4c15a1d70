import type { Executor } from '../schema.js'
import { rowLedger } from './row-ledger.js'

/** The tables whose rows belong to one subject. */
export type SubjectTable = 'consent_events' | 'dnc_entries' | 'reassigned_checks' | 'calls' | 'contacts'

/** Ids per `IN (…)` list, well below every engine's parameter limit. */
const CHUNK = 400

/**
 * Deletes rows of one subject by id, a chunk of ids at a time; rows of another subject are never
 * touched even when an id is given. Returns how many rows went; each deleted row is reported to
 * the row ledger with its hash as it was. (Shared by the repositories that
 * own these tables.)
 */
export async function deleteSubjectRows(trx: Executor, table: SubjectTable, subjectId: string, ids: readonly string[]): Promise<number> {
  let n = 0
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await trx.deleteFrom(table).where('id', 'in', ids.slice(i, i + CHUNK)).where('subject_id', '=', subjectId).returningAll().execute()
    rowLedger.deleted(trx, table, rows)
    n += rows.length
  }
  return n
}
