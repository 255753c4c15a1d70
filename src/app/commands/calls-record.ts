import { randomUUID } from 'node:crypto'
import { formatInstant } from '../../core/time/instant.js'
import { writeTransaction } from '../../store/write-transaction.js'
import { appendAudit } from '../audit/audit-trail.js'
import { oneOf, optionalNumber, requireInstant, requirePhone } from '../input.js'
import type { App } from '../open-app.js'
import { ensureSubject } from '../subjects.js'
import { getCampaign } from './campaign-add.js'

export const CALL_OUTCOMES = ['answered', 'abandoned', 'no-answer', 'busy', 'voicemail', 'failed'] as const

export interface CallsRecordInput {
  [flag: string]: unknown
  phone?: unknown
  campaign?: unknown
  at?: unknown
  outcome?: unknown
  duration?: unknown
}

/** Records one call attempt (counts toward frequency caps and the campaign's abandonment rate). */
export async function recordCall(app: App, input: CallsRecordInput): Promise<Record<string, unknown>> {
  const phone = requirePhone('--phone', input.phone)
  const campaign = await getCampaign(app, input.campaign)
  const at = requireInstant('--at', input.at)
  const outcome = oneOf('--outcome', input.outcome, CALL_OUTCOMES)
  const duration = optionalNumber('--duration', input.duration, 0, 86_400)
  const now = app.now()
  return writeTransaction(app.db, app.dialect, async (trx) => {
    const subject = await ensureSubject(app, trx, phone, now)
    const id = `call_${randomUUID()}`
    await trx
      .insertInto('calls')
      .values({ id, subject_id: subject.id, campaign_id: campaign.id, seller_key: campaign.sellerKey, at, outcome, duration_s: duration, recorded_at: now })
      .execute()
    await appendAudit(trx, app.dialect, app.config.actor, now, {
      action: 'calls.record',
      subject: subject.bidx,
      data: { call: id, campaign: campaign.id, at: formatInstant(at), outcome, duration },
    })
    return { id, campaign: campaign.id, at: formatInstant(at), outcome, duration }
  })
}
