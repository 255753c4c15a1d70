import type { DecisionFacts } from '../gate/facts.js'
import type { GateRule } from '../gate/gate-rule.js'
import type { Reason } from '../gate/reason.js'
import { DAY, type Instant } from '../time/instant.js'
import { WEEKDAY_SHORT, formatDay, weekdayOfDay } from './civil-day.js'
import { candidateZones, ruleZones } from './candidate-zones.js'
import { governs, rulesForPlace, type CompiledPack, type CompiledRule } from './compiled-pack.js'
import { TIME_RULE_HORIZON, earliestCommonOpen, type TimeConstraint } from './earliest-common.js'
import { localWallMs } from './local-time.js'
import { dayConstraint } from './zone-constraints.js'

const EMPTY: readonly Reason[] = Object.freeze([])
const DAY_WORDS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

/**
 * `RESTRICTED_DAY`: the local date, in every candidate zone (the zones of all candidate places,
 * whichever place the jurisdiction comes from, and the rule's fixed zone), must not be a banned
 * weekday or a public holiday of an applicable jurisdiction. One reason per jurisdiction.
 *
 * `clearsAt`: the earliest local midnight after which the date is allowed in every zone at
 * once (`null` beyond 400 days).
 */
export function restrictedDayRule(cp: CompiledPack): GateRule {
  return {
    id: 'restricted-day',
    evaluate(facts: DecisionFacts, at: Instant): readonly Reason[] {
      let reasons: Reason[] | null = null
      const zones = candidateZones(facts.places)
      for (const place of facts.places) {
        for (const r of rulesForPlace(cp, place)) {
          if (r.daysRule === '' || !governs(r, facts.campaign)) continue
          if (reasons !== null && reasons.some((x) => x.rule === r.daysRule)) continue
          for (const zone of ruleZones(r, place, zones)) {
            const day = Math.floor(localWallMs(zone, at) / DAY)
            const why = restriction(r, day)
            if (why === null) continue
            const message = `${WEEKDAY_SHORT[weekdayOfDay(day)]} ${formatDay(day)} in ${zone} is a restricted day under ${r.id} (${why})`
            ;(reasons ??= []).push({ code: 'RESTRICTED_DAY', message, rule: r.daysRule })
            break
          }
        }
      }
      return reasons ?? EMPTY
    },
    clearsAt(facts: DecisionFacts, at: Instant): Instant | null {
      const constraints: TimeConstraint[] = []
      const seen = new Set<string>()
      const zones = candidateZones(facts.places)
      for (const place of facts.places) {
        for (const r of rulesForPlace(cp, place)) {
          if (r.daysRule === '' || !governs(r, facts.campaign)) continue
          for (const zone of ruleZones(r, place, zones)) {
            const key = `${r.id}|${zone}`
            if (seen.has(key)) continue
            seen.add(key)
            constraints.push(dayConstraint(zone, (day) => restriction(r, day) === null))
          }
        }
      }
      return earliestCommonOpen(constraints, at, at + TIME_RULE_HORIZON)
    },
  }
}

/** Why local day `day` is restricted under `r` (`Sunday`, `public holiday: Christmas Day`), or `null`. */
function restriction(r: CompiledRule, day: number): string | null {
  if (r.bannedDays !== null) {
    const wd = weekdayOfDay(day)
    if (r.bannedDays[wd]) return DAY_WORDS[wd]!
  }
  if (r.holidays !== null) {
    const name = r.holidays.holidayOn(day)
    if (name !== null) return `public holiday: ${name}`
  }
  return null
}
