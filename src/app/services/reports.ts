import { REASON_CODES } from '../../core/gate/reason.js'
import { DAY, formatInstant } from '../../core/time/instant.js'
import type { Executor } from '../../store/schema.js'
import type { DecisionsRepo } from '../../store/repos/decisions.js'
import type { callsRepo } from '../../store/repos/calls.js'
import { US_ABANDON_LIMIT_PERCENT, type AbandonmentReport, type CallsService } from './calls.js'
import type { CampaignService } from './campaigns.js'

/** A report window: the `days` UTC days ending with the day of `at` (default now). */
export interface ReportWindow {
  readonly at?: number | undefined
  readonly days: number
}

/** Decisions of one UTC day: by verdict, and blocked decisions by reason code. */
export interface DecisionDay {
  readonly date: string
  readonly allow: number
  readonly block: number
  /** Blocked decisions carrying each reason code (a decision with several reasons counts under each). */
  readonly reasons: Record<string, number>
}

export interface DecisionReport {
  readonly from: string
  readonly to: string
  readonly days: DecisionDay[]
  readonly totals: { readonly allow: number; readonly block: number; readonly reasons: Record<string, number> }
}

/** The reason codes that mean the call lacked the consent its campaign needs. */
export const CONSENT_REASON_CODES = ['NO_CONSENT', 'CONSENT_REVOKED', 'REASSIGNED_NUMBER'] as const

/** One campaign's consent coverage over a window. */
export interface CampaignCoverage {
  readonly campaign: string
  readonly seller: string
  readonly purpose: string
  readonly dialing: string
  /** Whether calls of this campaign need consent at all (manual dialing does not). */
  readonly consentRequired: boolean
  /** Distinct numbers checked for the campaign in the window. */
  readonly numbers: number
  /** Of them, those whose latest check found the consent the campaign needs. */
  readonly covered: number
  /** `covered / numbers` in percent (two decimals), `null` when no number was checked. */
  readonly coveragePercent: number | null
  /** Numbers whose latest check was blocked for each consent reason. */
  readonly lacking: Record<(typeof CONSENT_REASON_CODES)[number], number>
}

export interface CoverageReport {
  readonly from: string
  readonly to: string
  readonly campaigns: CampaignCoverage[]
}

/** One campaign's abandonment rate, day by day, over a rolling 30-day period. */
export interface AbandonmentSeries {
  readonly campaign: string
  readonly dialing: string
  /** The rate `ABANDON_RATE` is judged on now (the 30 days up to `at`), exactly `GET /v1/reports/abandonment`. */
  readonly current: AbandonmentReport
  /** Per UTC day: the rate over the 30 days ending with that day. */
  readonly points: Array<{ readonly date: string; readonly liveAnswered: number; readonly abandoned: number; readonly ratePercent: number }>
}

export interface AbandonmentSeriesReport {
  readonly from: string
  readonly to: string
  readonly limitPercent: number
  readonly campaigns: AbandonmentSeries[]
}

/** The abandonment period of US rules (47 CFR 64.1200(a)(7)): 30 days. */
const PERIOD_DAYS = 30

const round2 = (x: number): number => Math.round(x * 100) / 100

/**
 * Read models for the dashboard's overview: decisions by day, verdict and reason; consent
 * coverage per campaign; abandonment per campaign over its period. Each is one grouped query over
 * the decision log or the call records (no PII: numbers only as blind indexes, never returned).
 */
export class ReportService {
  readonly #db: Executor
  readonly #decisions: DecisionsRepo
  readonly #calls: typeof callsRepo
  readonly #campaigns: CampaignService
  readonly #callsService: CallsService
  readonly #clock: () => number

  constructor(deps: { db: Executor; decisions: DecisionsRepo; calls: typeof callsRepo; campaigns: CampaignService; callsService: CallsService; clock: () => number }) {
    this.#db = deps.db
    this.#decisions = deps.decisions
    this.#calls = deps.calls
    this.#campaigns = deps.campaigns
    this.#callsService = deps.callsService
    this.#clock = deps.clock
  }

  /** Decisions per UTC day of the window (every day listed, empty ones with zeros), by verdict and reason code. */
  async decisions(w: ReportWindow): Promise<DecisionReport> {
    const { first, end } = this.#window(w)
    const rows = await this.#decisions.countsByDay(this.#db, first, end, REASON_CODES)
    const byDay = new Map<number, { allow: number; block: number; reasons: Record<string, number> }>()
    for (let d = first; d < end; d += DAY) byDay.set(d / DAY, { allow: 0, block: 0, reasons: {} })
    const totals = { allow: 0, block: 0, reasons: {} as Record<string, number> }
    for (const r of rows) {
      const day = byDay.get(r.day)
      if (!day) continue
      if (r.verdict === 'allow') {
        day.allow += r.decisions
        totals.allow += r.decisions
        continue
      }
      day.block += r.decisions
      totals.block += r.decisions
      for (const [code, n] of Object.entries(r.byCode)) {
        if (n === 0) continue
        day.reasons[code] = (day.reasons[code] ?? 0) + n
        totals.reasons[code] = (totals.reasons[code] ?? 0) + n
      }
    }
    return {
      from: formatInstant(first),
      to: formatInstant(end),
      days: [...byDay.entries()].map(([day, v]) => ({ date: formatInstant(day * DAY).slice(0, 10), ...v })),
      totals,
    }
  }

  /**
   * Consent coverage per campaign: of the distinct numbers checked for the campaign in the window,
   * how many had, at their latest check, the consent the campaign needs (no `NO_CONSENT`,
   * `CONSENT_REVOKED` or `REASSIGNED_NUMBER` reason). Every campaign is listed, checked or not.
   */
  async consentCoverage(w: ReportWindow): Promise<CoverageReport> {
    const { first, end } = this.#window(w)
    const counts = new Map((await this.#decisions.latestCodesPerCampaign(this.#db, first, end, CONSENT_REASON_CODES)).map((c) => [c.campaignId, c]))
    const campaigns = (await this.#campaigns.list()).map((c): CampaignCoverage => {
      const n = counts.get(c.id)
      const numbers = n?.numbers ?? 0
      const covered = numbers - (n?.lacking ?? 0)
      return {
        campaign: c.id,
        seller: c.seller,
        purpose: c.purpose,
        dialing: c.dialing,
        consentRequired: c.dialing !== 'manual',
        numbers,
        covered,
        coveragePercent: numbers === 0 ? null : round2((covered * 100) / numbers),
        lacking: { NO_CONSENT: n?.byCode['NO_CONSENT'] ?? 0, CONSENT_REVOKED: n?.byCode['CONSENT_REVOKED'] ?? 0, REASSIGNED_NUMBER: n?.byCode['REASSIGNED_NUMBER'] ?? 0 },
      }
    })
    return { from: formatInstant(first), to: formatInstant(end), campaigns }
  }

  /**
   * Abandonment per campaign: for each UTC day of the window, the rate over the 30 days ending
   * with that day (live-answered calls abandoned, in percent), and the rate the gate judges now.
   */
  async abandonmentSeries(w: ReportWindow): Promise<AbandonmentSeriesReport> {
    const at = w.at ?? this.#clock()
    const { first, end } = this.#window(w)
    const rows = await this.#calls.outcomesByDay(this.#db, first - (PERIOD_DAYS - 1) * DAY, end)
    const perCampaign = new Map<string, Map<number, { liveAnswered: number; abandoned: number }>>()
    for (const r of rows) {
      const days = perCampaign.get(r.campaignId) ?? new Map<number, { liveAnswered: number; abandoned: number }>()
      days.set(r.day, { liveAnswered: r.liveAnswered, abandoned: r.abandoned })
      perCampaign.set(r.campaignId, days)
    }
    const campaigns: AbandonmentSeries[] = []
    for (const c of await this.#campaigns.list()) {
      campaigns.push({ campaign: c.id, dialing: c.dialing, current: await this.#callsService.abandonment(c.id, at), points: rolling(perCampaign.get(c.id), first, end) })
    }
    return { from: formatInstant(first), to: formatInstant(end), limitPercent: US_ABANDON_LIMIT_PERCENT, campaigns }
  }

  /** The window's first UTC day and the end of its last day (the day of `at`). */
  #window(w: ReportWindow): { first: number; end: number } {
    const at = w.at ?? this.#clock()
    const end = Math.floor(at / DAY) * DAY + DAY
    return { first: end - w.days * DAY, end }
  }
}

/** Day-by-day rates over the 30 days ending with each day of `[first, end)`. */
function rolling(days: Map<number, { liveAnswered: number; abandoned: number }> | undefined, first: number, end: number): AbandonmentSeries['points'] {
  const points: Array<AbandonmentSeries['points'][number]> = []
  let live = 0
  let abandoned = 0
  const at = (day: number): { liveAnswered: number; abandoned: number } => days?.get(day) ?? { liveAnswered: 0, abandoned: 0 }
  const firstDay = first / DAY
  for (let d = firstDay - PERIOD_DAYS + 1; d < firstDay; d++) {
    live += at(d).liveAnswered
    abandoned += at(d).abandoned
  }
  for (let d = firstDay; d < end / DAY; d++) {
    live += at(d).liveAnswered
    abandoned += at(d).abandoned
    if (d > firstDay) {
      const out = at(d - PERIOD_DAYS)
      live -= out.liveAnswered
      abandoned -= out.abandoned
    }
    points.push({ date: formatInstant(d * DAY).slice(0, 10), liveAnswered: live, abandoned, ratePercent: live === 0 ? 0 : round2((abandoned * 100) / live) })
  }
  return points
}
