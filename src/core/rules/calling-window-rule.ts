import type { DecisionFacts } from '../gate/facts.js'
import type { GateRule } from '../gate/gate-rule.js'
import type { Place } from '../gate/place.js'
import type { Reason } from '../gate/reason.js'
import type { Instant } from '../time/instant.js'
import { describeLocal } from './describe-local.js'
import { governs, rulesForPlace, type CompiledPack, type CompiledRule } from './compiled-pack.js'
import { TIME_RULE_HORIZON, earliestCommonOpen, type TimeConstraint } from './earliest-common.js'
import { localWallMs } from './local-time.js'
import { insideWindow, windowConstraint } from './zone-constraints.js'
import { candidateZones, ruleZones } from './candidate-zones.js'

const EMPTY: readonly Reason[] = Object.freeze([])

/**
 * `CALLING_HOURS`: the local time must be inside the calling window of every jurisdiction that
 * applies to any candidate place, in every candidate zone (the zones of all places, not only that
 * place's own: a Connecticut number called with `--state WA` must wait for 09:00 Pacific), and in
 * the jurisdiction's fixed zone, if any. Start inclusive, end exclusive. One reason per violated
 * jurisdiction. A place with no zone and a windowed jurisdiction blocks (fail closed) and never
 * clears.
 *
 * `clearsAt`: the earliest instant at which all those windows are open at once, found by
 * jumping between window openings (see `earliestCommonOpen`), `null` beyond 400 days.
 */
export function callingWindowRule(cp: CompiledPack): GateRule {
  return {
    id: 'calling-window',
    evaluate(facts: DecisionFacts, at: Instant): readonly Reason[] {
      let reasons: Reason[] | null = null
      const zones = candidateZones(facts.places)
      for (const place of facts.places) {
        for (const r of rulesForPlace(cp, place)) {
          if (r.window === null || !governs(r, facts.campaign)) continue
          if (reasons !== null && reasons.some((x) => x.rule === r.windowRule)) continue
          const message = violation(r, place, ruleZones(r, place, zones), at)
          if (message !== null) (reasons ??= []).push({ code: 'CALLING_HOURS', message, rule: r.windowRule })
        }
      }
      return reasons ?? EMPTY
    },
    clearsAt(facts: DecisionFacts, at: Instant): Instant | null {
      const constraints: TimeConstraint[] = []
      const seen = new Set<string>()
      const candidates = candidateZones(facts.places)
      for (const place of facts.places) {
        for (const r of rulesForPlace(cp, place)) {
          if (r.window === null || !governs(r, facts.campaign)) continue
          const zones = ruleZones(r, place, candidates)
          if (zones.length === 0) return null
          for (const zone of zones) {
            const key = `${r.id}|${zone}`
            if (seen.has(key)) continue
            seen.add(key)
            constraints.push(windowConstraint(zone, r.window))
          }
        }
      }
      return earliestCommonOpen(constraints, at, at + TIME_RULE_HORIZON)
    },
  }
}

function violation(r: CompiledRule, place: Place, zones: readonly string[], at: Instant): string | null {
  const w = r.window!
  if (place.zones.length === 0 && r.fixedZone === null) {
    return `No time zone is known for ${place.country}${place.region ? `-${place.region}` : ''}, so the ${r.id} calling window (${r.windowText}) cannot be checked`
  }
  for (const zone of zones) {
    if (!insideWindow(w, localWallMs(zone, at))) return outside(r, zone, at)
  }
  return null
}

function outside(r: CompiledRule, zone: string, at: Instant): string {
  return `Local time ${describeLocal(zone, at)} in ${zone} is outside the ${r.id} calling window ${r.windowText}`
}
