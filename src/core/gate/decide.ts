import { DAY, type Instant } from '../time/instant.js'
import type { Decision } from './decision.js'
import type { DecisionFacts } from './facts.js'
import type { GateRule } from './gate-rule.js'
import type { Reason } from './reason.js'

/** How far ahead the next-allowed search looks before it gives up (`null`). */
export const NEXT_ALLOWED_HORIZON = 400 * DAY
const MAX_SEARCH_STEPS = 2_000

const INVALID: Decision = Object.freeze({
  verdict: 'block',
  reasons: Object.freeze([
    Object.freeze({
      code: 'INVALID_NUMBER' as const,
      message: 'not a possible telephone number',
      rule: 'Dialward number validation (E.164 / NANP numbering plan)',
    }),
  ]),
  nextAllowedAt: null,
})

/**
 * The pre-dial decision: a pure function of facts, rules and the instant. Returns every reason
 * that blocks (not only the first) and, when every blocking rule is time-based, the earliest
 * instant at which all rules pass together.
 */
export function decide(facts: DecisionFacts, rules: readonly GateRule[], at: Instant): Decision {
  if (facts.phone === null) return INVALID
  const reasons: Reason[] = []
  // The first step of the next-allowed search, taken from this evaluation: the latest instant at
  // which every rule blocking now clears (null as soon as one of them never clears).
  let next: Instant | null = at
  for (const rule of rules) {
    const r = rule.evaluate(facts, at)
    if (r.length === 0) continue
    for (const reason of r) reasons.push(reason)
    if (next === null) continue
    const clears = rule.clearsAt?.(facts, at) ?? null
    next = clears === null || clears <= at ? null : Math.max(next, clears)
  }
  if (reasons.length === 0) return { verdict: 'allow', reasons, nextAllowedAt: null }
  return { verdict: 'block', reasons, nextAllowedAt: next === null ? null : nextAllowedAt(facts, rules, next, at) }
}

/**
 * Earliest instant `>= at` when no rule blocks, jumping from boundary to boundary: at each step
 * the candidate moves to the latest `clearsAt` among the rules blocking there. `null` when a
 * standing rule blocks or nothing clears within the horizon (counted from `origin`, the decision
 * instant, when the search starts later).
 */
export function nextAllowedAt(facts: DecisionFacts, rules: readonly GateRule[], at: Instant, origin: Instant = at): Instant | null {
  let t = at
  for (let step = 0; step < MAX_SEARCH_STEPS && t - origin <= NEXT_ALLOWED_HORIZON; step++) {
    let next = t
    let blocked = false
    for (const rule of rules) {
      if (rule.evaluate(facts, t).length === 0) continue
      blocked = true
      const clears = rule.clearsAt?.(facts, t) ?? null
      if (clears === null) return null
      if (clears > next) next = clears
    }
    if (!blocked) return t
    if (next <= t) return null
    t = next
  }
  return null
}
