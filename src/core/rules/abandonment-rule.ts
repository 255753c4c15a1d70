import type { AbandonmentStats, CallAttempt, DecisionFacts } from '../gate/facts.js'
import { DEFAULT_ABANDONMENT_PERIOD_HOURS, type RulePack } from './rule-pack.js'
import type { GateRule } from '../gate/gate-rule.js'
import type { Reason } from '../gate/reason.js'
import type { Instant } from '../time/instant.js'
import { governs, rulesForPlace, type CompiledPack } from './compiled-pack.js'
import { periodText } from './period-text.js'

const EMPTY: readonly Reason[] = Object.freeze([])

/**
 * `ABANDON_RATE`: for autodialed or prerecorded campaigns, abandoned calls over live-answered
 * calls of the campaign over the cap's own period (`facts.abandonment[periodHours]`) must not
 * exceed the cap of any jurisdiction of a candidate place: US 3% over 30 days (47 CFR
 * 64.1200(a)(7)), Canada 5% over 30 days, UK 3% over 24 hours. A standing rule: no `clearsAt`
 * (the rate falls only as the campaign makes more calls, which waiting alone does not do).
 *
 * Denominator: `liveAnswered` must count every call answered by a live person, the abandoned
 * ones included: a call is "abandoned" precisely because a person answered and no agent came
 * within 2 s, so it was live-answered (64.1200(a)(7) measures "calls answered live by a person").
 * If the stats are inconsistent (`abandoned > liveAnswered`), `abandoned` is used as the
 * denominator (rate 100%), which fails closed.
 */
export function abandonmentRule(cp: CompiledPack): GateRule {
  return {
    id: 'abandonment',
    evaluate(facts: DecisionFacts, _at: Instant): readonly Reason[] {
      const byPeriod = facts.abandonment
      if (byPeriod === null || facts.campaign.dialing === 'manual') return EMPTY
      let reasons: Reason[] | null = null
      for (const place of facts.places) {
        for (const r of rulesForPlace(cp, place)) {
          const max = r.abandonMaxPercent
          if (max === null || !governs(r, facts.campaign)) continue
          const stats = byPeriod[r.abandonPeriodHours]
          if (stats === undefined || stats.abandoned <= 0) continue
          const live = Math.max(stats.liveAnswered, stats.abandoned)
          if (stats.abandoned * 100 <= max * live) continue
          if (reasons !== null && reasons.some((x) => x.rule === r.abandonRule)) continue
          const pct = ((stats.abandoned * 100) / live).toFixed(2)
          const message = `Campaign ${facts.campaign.id} abandoned ${stats.abandoned} of ${live} live-answered calls (${pct}%) in the last ${periodText(r.abandonPeriodHours)}, above the ${max}% allowed by ${r.id}`
          ;(reasons ??= []).push({ code: 'ABANDON_RATE', message, rule: r.abandonRule })
        }
      }
      return reasons ?? EMPTY
    },
  }
}

/**
 * Abandonment statistics of one campaign from its call attempts with `from < at <= to`:
 * `liveAnswered` = answered + abandoned outcomes (see `abandonmentRule` for why), `abandoned` =
 * abandoned outcomes.
 *
 * @example abandonmentStats(calls, 'c1', at - 30 * DAY, at)
 */
export function abandonmentStats(calls: readonly CallAttempt[], campaignId: string, from: Instant, to: Instant): AbandonmentStats {
  let liveAnswered = 0
  let abandoned = 0
  for (const c of calls) {
    if (c.campaignId !== campaignId || c.at <= from || c.at > to) continue
    if (c.outcome === 'abandoned') {
      abandoned++
      liveAnswered++
    } else if (c.outcome === 'answered') liveAnswered++
  }
  return { liveAnswered, abandoned }
}

/**
 * The look-back periods (hours) of every abandonment cap in a pack, each once: the app measures
 * the campaign over each before a decision.
 *
 * @example abandonmentPeriods(DEFAULT_PACK) // [24, 720]
 */
export function abandonmentPeriods(pack: RulePack): number[] {
  const set = new Set<number>()
  for (const e of pack.entries) if (e.abandonmentCap) set.add(e.abandonmentCap.periodHours ?? DEFAULT_ABANDONMENT_PERIOD_HOURS)
  return [...set].sort((a, b) => a - b)
}
