import { randomUUID } from 'node:crypto'
import type { Executor } from '../schema.js'
import type { AbandonmentStats, CallAttempt } from '../../core/gate/facts.js'
import type { Campaign } from '../../core/gate/campaign.js'
import type { Subject } from './subjects.js'
import { deleteSubjectRows } from './delete-rows.js'
import { rowLedger, subjectScope } from './row-ledger.js'

/** A call attempt as stored. */
export interface CallRecord {
  readonly campaign: Campaign
  readonly at: number
  readonly outcome: CallAttempt['outcome']
  readonly durationSeconds: number | null
}

/** Call records (`calls`): frequency caps and abandonment rates are computed from them. */
export const callsRepo = {
  async add(trx: Executor, subject: Subject, c: CallRecord, now: number): Promise<string> {
    const id = `call_${randomUUID()}`
    const row = { id, subject_id: subject.id, campaign_id: c.campaign.id, seller_key: c.campaign.sellerKey, at: c.at, outcome: c.outcome, duration_s: c.durationSeconds, recorded_at: now }
    await trx.insertInto('calls').values(row).execute()
    rowLedger.inserted(trx, 'calls', [row], subjectScope(subject.bidx))
    return id
  },

  /** Live-answered (answered + abandoned) and abandoned calls of a campaign in `(from, to]`. */
  async abandonment(ex: Executor, campaignId: string, from: number, to: number): Promise<AbandonmentStats> {
    const rows = await ex
      .selectFrom('calls')
      .select(['outcome', (eb) => eb.fn.countAll<number>().as('n')])
      .where('campaign_id', '=', campaignId)
      .where('at', '>', from)
      .where('at', '<=', to)
      .groupBy('outcome')
      .execute()
    let answered = 0
    let abandoned = 0
    for (const r of rows) {
      if (r.outcome === 'answered') answered += Number(r.n)
      if (r.outcome === 'abandoned') abandoned += Number(r.n)
    }
    return { liveAnswered: answered + abandoned, abandoned }
  },

  /** Deletes calls of one subject by id; returns how many went. */
  deleteIds(trx: Executor, subjectId: string, ids: readonly string[]): Promise<number> {
    return deleteSubjectRows(trx, 'calls', subjectId, ids)
  },
}
