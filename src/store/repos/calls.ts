import { sql } from 'kysely'
import type { Executor } from '../schema.js'
import type { AbandonmentStats, CallAttempt } from '../../core/gate/facts.js'
import type { Campaign } from '../../core/gate/campaign.js'
import type { Subject } from './subjects.js'
import { deleteSubjectRows } from './delete-rows.js'
import { rowLedger, subjectScope } from './row-ledger.js'
import { rowId } from '../row-id.js'

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
    const id = rowId('call')
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

  /**
   * Live-answered (answered + abandoned) and abandoned calls per campaign and UTC day (days since
   * the epoch), for calls with `at` in `[from, to)`. One grouped query.
   */
  async outcomesByDay(ex: Executor, from: number, to: number): Promise<Array<{ campaignId: string; day: number; liveAnswered: number; abandoned: number }>> {
    const day = sql<number>`${sql.ref('at')} / ${sql.lit(86_400_000)}`
    const rows = await ex
      .selectFrom('calls')
      .select(['campaign_id', day.as('day'), 'outcome', (eb) => eb.fn.countAll<number>().as('n')])
      .where('at', '>=', from)
      .where('at', '<', to)
      .where('outcome', 'in', ['answered', 'abandoned'])
      .groupBy(['campaign_id', day, 'outcome'])
      .execute()
    const out = new Map<string, { campaignId: string; day: number; liveAnswered: number; abandoned: number }>()
    for (const r of rows) {
      const k = `${r.campaign_id}\u0000${Number(r.day)}`
      const e = out.get(k) ?? { campaignId: r.campaign_id, day: Number(r.day), liveAnswered: 0, abandoned: 0 }
      e.liveAnswered += Number(r.n)
      if (r.outcome === 'abandoned') e.abandoned += Number(r.n)
      out.set(k, e)
    }
    return [...out.values()]
  },

  /** Deletes calls of one subject by id; returns how many went. */
  deleteIds(trx: Executor, subjectId: string, ids: readonly string[]): Promise<number> {
    return deleteSubjectRows(trx, 'calls', subjectId, ids)
  },
}
