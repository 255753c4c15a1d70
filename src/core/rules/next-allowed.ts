import type { DecisionFacts } from '../gate/facts.js'
import type { GateRule } from '../gate/gate-rule.js'
import type { Instant } from '../time/instant.js'
import { TIME_RULE_HORIZON } from './earliest-common.js'

/**
 * The earliest instant `>= at` at which none of `rules` blocks, or `null` when waiting cannot
 * help: a blocking rule has no `clearsAt` (standing) or returns `null`, or the answer lies
 * beyond `horizon` (400 days). Each step jumps to the latest `clearsAt` of the rules blocking at
 * the cursor; since each `clearsAt` is the earliest instant that rule alone clears, the cursor
 * never passes the answer.
 *
 * @example nextAllowedByTimeRules(timeRules(DEFAULT_PACK), facts, at)
 */
export function nextAllowedByTimeRules(
  rules: readonly GateRule[],
  facts: DecisionFacts,
  at: Instant,
  horizon: number = TIME_RULE_HORIZON,
  maxSteps = 1000,
): Instant | null {
  let t = at
  for (let step = 0; step < maxSteps; step++) {
    let next = t
    for (const rule of rules) {
      if (rule.evaluate(facts, t).length === 0) continue
      if (rule.clearsAt === undefined) return null
      const c = rule.clearsAt(facts, t)
      if (c === null) return null
      next = Math.max(next, c > t ? c : t + 1)
    }
    if (next === t) return t
    if (next > at + horizon) return null
    t = next
  }
  return null
}
