import { randomUUID } from 'node:crypto'
import { formatInstant } from '../../core/time/instant.js'
import { writeTransaction } from '../../store/write-transaction.js'
import { appendAudit } from '../audit/audit-trail.js'
import { oneOf, optionalInstant, requireDate, requirePhone } from '../input.js'
import type { App } from '../open-app.js'
import { ensureSubject } from '../subjects.js'

export interface ReassignedRecordInput {
  [flag: string]: unknown
  phone?: unknown
  date?: unknown
  result?: unknown
  queriedAt?: unknown
}

/** Records a Reassigned Numbers Database answer for a number and date (`yes` voids consent granted on or before it). */
export async function recordReassigned(app: App, input: ReassignedRecordInput): Promise<Record<string, unknown>> {
  const phone = requirePhone('--phone', input.phone)
  const date = requireDate('--date', input.date)
  const result = oneOf('--result', input.result, ['yes', 'no', 'no-data'] as const)
  const now = app.now()
  const queriedAt = optionalInstant('--queried-at', input.queriedAt, now)
  return writeTransaction(app.db, app.dialect, async (trx) => {
    const subject = await ensureSubject(app, trx, phone, now)
    const id = `rnd_${randomUUID()}`
    await trx
      .insertInto('reassigned_checks')
      .values({ id, subject_id: subject.id, date, result, queried_at: queriedAt, recorded_at: now })
      .execute()
    await appendAudit(trx, app.dialect, app.config.actor, now, {
      action: 'reassigned.record',
      subject: subject.bidx,
      data: { check: id, date: formatInstant(date).slice(0, 10), result, queriedAt: formatInstant(queriedAt) },
    })
    return { id, date: formatInstant(date).slice(0, 10), result, queriedAt: formatInstant(queriedAt) }
  })
}
