import type { CallAttempt } from '../../core/gate/facts.js'
import type { Phone } from '../../core/phone/phone.js'
import { DAY, formatInstant } from '../../core/time/instant.js'
import type { Executor } from '../../store/schema.js'
import type { callsRepo } from '../../store/repos/calls.js'
import type { RequestContext } from '../context.js'
import type { SubjectWrites } from '../subject-writes.js'
import type { CampaignService } from './campaigns.js'

export const CALL_OUTCOMES = ['answered', 'abandoned', 'no-answer', 'busy', 'voicemail', 'failed'] as const satisfies readonly CallAttempt['outcome'][]

/** One call attempt to record. */
export interface CallInput {
  readonly phone: Phone
  readonly campaign: string
  readonly at?: number | undefined
  readonly outcome: CallAttempt['outcome']
  readonly durationSeconds: number | null
}

export interface CallResult {
  readonly id: string
  readonly campaign: string
  readonly at: string
  readonly outcome: CallAttempt['outcome']
  readonly duration: number | null
}

/** A campaign's abandonment over the 30 days up to an instant. */
export interface AbandonmentReport {
  readonly campaign: string
  readonly dialing: string
  readonly from: string
  readonly to: string
  readonly liveAnswered: number
  readonly abandoned: number
  readonly ratePercent: number
  readonly limitPercent: number
  readonly overLimit: boolean
  readonly rule: string
}

/** US limit: at most 3% of live-answered calls abandoned per campaign over 30 days (47 CFR 64.1200(a)(7)). */
export const US_ABANDON_LIMIT_PERCENT = 3

/** Call records: they count toward frequency caps and the campaign's abandonment rate. */
export class CallsService {
  readonly #writes: SubjectWrites
  readonly #repo: typeof callsRepo
  readonly #campaigns: CampaignService
  readonly #db: Executor
  readonly #clock: () => number

  constructor(writes: SubjectWrites, repo: typeof callsRepo, campaigns: CampaignService, db: Executor, clock: () => number) {
    this.#writes = writes
    this.#repo = repo
    this.#campaigns = campaigns
    this.#db = db
    this.#clock = clock
  }

  async record(ctx: RequestContext, c: CallInput): Promise<CallResult> {
    const campaign = await this.#campaigns.get(c.campaign)
    return this.#writes.record(ctx, 'calls.record', c.phone, async (tx, subject) => {
      const at = c.at ?? tx.now
      const id = await this.#repo.add(tx.db, subject, { campaign, at, outcome: c.outcome, durationSeconds: c.durationSeconds }, tx.now)
      const result: CallResult = { id, campaign: campaign.id, at: formatInstant(at), outcome: c.outcome, duration: c.durationSeconds }
      return { result, data: { call: id, campaign: campaign.id, at: result.at, outcome: c.outcome, duration: c.durationSeconds } }
    })
  }

  /** The abandonment rate `ABANDON_RATE` is judged on, for a campaign, over the 30 days up to `at` (default now). */
  async abandonment(campaignId: string, at: number = this.#clock()): Promise<AbandonmentReport> {
    const campaign = await this.#campaigns.get(campaignId)
    const stats = await this.#repo.abandonment(this.#db, campaign.id, at - 30 * DAY, at)
    const rate = stats.liveAnswered === 0 ? 0 : (stats.abandoned * 100) / stats.liveAnswered
    return {
      campaign: campaign.id,
      dialing: campaign.dialing,
      from: formatInstant(at - 30 * DAY),
      to: formatInstant(at),
      liveAnswered: stats.liveAnswered,
      abandoned: stats.abandoned,
      ratePercent: Math.round(rate * 100) / 100,
      limitPercent: US_ABANDON_LIMIT_PERCENT,
      overLimit: campaign.dialing !== 'manual' && stats.abandoned * 100 > US_ABANDON_LIMIT_PERCENT * stats.liveAnswered,
      rule: 'US abandonment rate at most 3% of live-answered calls per campaign per 30 days, 47 CFR 64.1200(a)(7); 16 CFR 310.4(b)(4)(i)',
    }
  }
}
