import type { DecisionFacts } from '../gate/facts.js'
import type { GateRule } from '../gate/gate-rule.js'
import type { Reason } from '../gate/reason.js'
import type { Instant } from '../time/instant.js'
import { governs, rulesForPlace, type CompiledPack } from './compiled-pack.js'

const EMPTY: readonly Reason[] = Object.freeze([])

/**
 * `EMERGENCY`: a jurisdiction with `emergencyBan` (Louisiana) bans the call while the operator
 * flags a declared state of emergency for it: `facts.flags.emergencies` holds `US-LA` (its
 * country-region) or the entry's id. A standing rule: no `clearsAt`, the operator lifts the flag.
 */
export function emergencyRule(cp: CompiledPack): GateRule {
  return {
    id: 'emergency',
    evaluate(facts: DecisionFacts, _at: Instant): readonly Reason[] {
      const flags = facts.flags.emergencies
      if (flags.length === 0) return EMPTY
      let reasons: Reason[] | null = null
      for (const place of facts.places) {
        for (const r of rulesForPlace(cp, place)) {
          if (!r.emergency || !governs(r, facts.campaign)) continue
          if (!flags.includes(r.flagKey) && !flags.includes(r.id)) continue
          if (reasons !== null && reasons.some((x) => x.rule === r.emergencyRule)) continue
          const message = `A state of emergency is declared for ${r.flagKey}; ${r.id} bans these calls while it lasts`
          ;(reasons ??= []).push({ code: 'EMERGENCY', message, rule: r.emergencyRule })
        }
      }
      return reasons ?? EMPTY
    },
  }
}
