import type { Executor } from '../../store/schema.js'
import type { Repositories } from '../../store/repos/index.js'
import type { SubjectPlan } from '../../core/retention/subject-plan.js'
import type { RecordClass } from '../../core/retention/record-class.js'
import { rekeySubject } from './rekey-subject.js'

/** What executing one subject's plan did. */
export interface SubjectOutcome {
  readonly counts: Partial<Record<RecordClass, number>>
  readonly keysDestroyed: string[]
  readonly suppressionsAdded: number
}

/**
 * Executes one subject's plan inside the caller's write transaction: writes the suppression
 * entries, deletes the due rows, and then either destroys the subject's data key and deletes the
 * subject (when all of it is due) or moves the surviving fields to a fresh key and destroys the
 * old one (when encrypted rows or contact fields were deleted: a contact field that goes is removed
 * from its record, and the rest re-sealed under the fresh key). Keys are destroyed in the same transaction as the
 * rows, so a subject is always either whole or erased, never half.
 */
export async function applySubjectPlan(repos: Repositories, trx: Executor, plan: SubjectPlan, now: number): Promise<SubjectOutcome> {
  const counts: Partial<Record<RecordClass, number>> = {}
  const keysDestroyed: string[] = []
  if (plan.due.length === 0) return { counts, keysDestroyed, suppressionsAdded: 0 }
  for (const s of plan.suppressions) await repos.suppressions.add(trx, { bidx: plan.bidx, sellerKey: s.sellerKey, at: s.at, origin: s.origin }, now)
  const byTable = new Map<string, string[]>()
  for (const r of plan.due) {
    if (r.table === 'subjects') continue
    byTable.set(r.table, [...(byTable.get(r.table) ?? []), r.id])
    counts[r.recordClass] = (counts[r.recordClass] ?? 0) + 1
  }
  const ids = (table: string): string[] => byTable.get(table) ?? []
  await repos.calls.deleteIds(trx, plan.subjectId, ids('calls'))
  await repos.reassigned.deleteIds(trx, plan.subjectId, ids('reassigned_checks'))
  await repos.dnc.deleteIds(trx, plan.subjectId, ids('dnc_entries'))
  await repos.consent.deleteIds(trx, plan.subjectId, ids('consent_events'))
  await repos.contacts.deleteIds(trx, plan.subjectId, ids('contacts'))
  const subject = await repos.subjects.findByBidx(trx, plan.bidx)
  if (subject === null || subject.id !== plan.subjectId) return { counts, keysDestroyed, suppressionsAdded: plan.suppressions.length }
  if (!plan.subjectDue && plan.contactFieldsDue.size > 0) {
    for (const row of await repos.contacts.ofSubject(trx, plan.subjectId)) {
      const fields = plan.contactFieldsDue.get(row.id)
      if (fields) await repos.contacts.dropFields(trx, row, subject, fields, now)
    }
  }
  if (plan.subjectDue) {
    await repos.subjects.delete(trx, plan.subjectId)
    await repos.dataKeys.destroy(trx, subject.keyId, now)
    keysDestroyed.push(subject.keyId)
    counts['contact-pii'] = 1
  } else if (ids('consent_events').length + ids('dnc_entries').length + ids('contacts').length + plan.contactFieldsDue.size > 0) {
    keysDestroyed.push(await rekeySubject(repos, trx, plan.subjectId, now))
  }
  return { counts, keysDestroyed, suppressionsAdded: plan.suppressions.length }
}
