import { randomUUID } from 'node:crypto'
import { sellerKey } from '../../core/gate/campaign.js'
import { formatInstant } from '../../core/time/instant.js'
import { writeTransaction } from '../../store/write-transaction.js'
import { appendAudit } from '../audit/audit-trail.js'
import { optionalText, requireInstant, requirePhone, requireText } from '../input.js'
import type { App } from '../open-app.js'
import { ensureSubject, sealForSubject } from '../subjects.js'

export interface DncAddInput {
  [flag: string]: unknown
  phone?: unknown
  at?: unknown
  seller?: unknown
  source?: unknown
}

/** Records a company-specific do-not-call request for one seller, or every seller when none is named. */
export async function addDnc(app: App, input: DncAddInput): Promise<Record<string, unknown>> {
  const phone = requirePhone('--phone', input.phone)
  const at = requireInstant('--at', input.at)
  const seller = input.seller === undefined ? null : requireText('--seller', input.seller, 200).trim()
  const source = optionalText('--source', input.source, 4_000)
  const now = app.now()
  return writeTransaction(app.db, app.dialect, async (trx) => {
    const subject = await ensureSubject(app, trx, phone, now)
    const id = `dnc_${randomUUID()}`
    await trx
      .insertInto('dnc_entries')
      .values({
        id,
        subject_id: subject.id,
        seller,
        seller_key: seller === null ? null : sellerKey(seller),
        at,
        source_ct: await sealForSubject(app, trx, subject, 'dnc_entries', id, 'source_ct', source),
        recorded_at: now,
      })
      .execute()
    await appendAudit(trx, app.dialect, app.config.actor, now, {
      action: 'dnc.add',
      subject: subject.bidx,
      data: { entry: id, seller, at: formatInstant(at) },
    })
    return { id, seller, scope: seller === null ? 'all-sellers' : 'seller', at: formatInstant(at) }
  })
}
