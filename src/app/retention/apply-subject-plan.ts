import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../../store/schema.js'
import type { SubjectPlan } from '../../core/retention/subject-plan.js'
import type { RecordClass } from '../../core/retention/record-class.js'
import type { App } from '../open-app.js'
import { rekeySubject } from './rekey-subject.js'

/** What executing one subject's plan did. */
export interface SubjectOutcome {
  readonly counts: Partial<Record<RecordClass, number>>
  readonly keysDestroyed: string[]
  readonly suppressionsAdded: number
}

const CHUNK = 400

/**
 * Executes one subject's plan inside the caller's write transaction: writes the suppression
 * entries, deletes the due rows, and then either destroys the subject's data key and deletes the
 * subject (when all of it is due) or moves the surviving fields to a fresh key and destroys the
 * old one (when encrypted rows were deleted). Keys are destroyed in the same transaction as the
 * rows, so a subject is always either whole or erased, never half.
 */
export async function applySubjectPlan(app: App, trx: Kysely<Database>, plan: SubjectPlan, now: number): Promise<SubjectOutcome> {
  const counts: Partial<Record<RecordClass, number>> = {}
  const keysDestroyed: string[] = []
  if (plan.due.length === 0) return { counts, keysDestroyed, suppressionsAdded: 0 }
  for (const s of plan.suppressions) {
    await trx
      .insertInto('suppressions')
      .values({ id: `sup_${randomUUID()}`, phone_bidx: plan.bidx, seller_key: s.sellerKey, at: s.at, origin: s.origin, created_at: now })
      .execute()
  }
  const byTable = new Map<string, string[]>()
  for (const r of plan.due) {
    if (r.table === 'subjects') continue
    byTable.set(r.table, [...(byTable.get(r.table) ?? []), r.id])
    counts[r.recordClass] = (counts[r.recordClass] ?? 0) + 1
  }
  for (const table of ['calls', 'reassigned_checks', 'dnc_entries', 'consent_events'] as const) {
    const ids = byTable.get(table) ?? []
    for (let i = 0; i < ids.length; i += CHUNK) {
      await trx.deleteFrom(table).where('id', 'in', ids.slice(i, i + CHUNK)).where('subject_id', '=', plan.subjectId).execute()
    }
  }
  const subject = await trx.selectFrom('subjects').select(['key_id']).where('id', '=', plan.subjectId).executeTakeFirst()
  if (!subject) return { counts, keysDestroyed, suppressionsAdded: plan.suppressions.length }
  if (plan.subjectDue) {
    await trx.deleteFrom('subjects').where('id', '=', plan.subjectId).execute()
    await app.dataKeys.destroy(trx, subject.key_id, now)
    keysDestroyed.push(subject.key_id)
    counts['contact-pii'] = 1
  } else if ((byTable.get('consent_events')?.length ?? 0) + (byTable.get('dnc_entries')?.length ?? 0) > 0) {
    keysDestroyed.push(await rekeySubject(app, trx, plan.subjectId, now))
  }
  return { counts, keysDestroyed, suppressionsAdded: plan.suppressions.length }
}
