import type { Instant } from '../time/instant.js'
import type { DecisionFacts } from './facts.js'
import type { Reason } from './reason.js'

/**
 * One rule of the gate. `evaluate` returns every reason this rule blocks the call at `at`
 * (empty when it does not block).
 *
 * Time-based rules (calling windows, restricted days, frequency caps) also implement
 * `clearsAt`: the earliest instant `>= at` at which this rule alone would stop blocking, or
 * `null` when waiting cannot help within the search horizon. Rules without `clearsAt` are
 * standing rules: waiting never lifts their block (no consent, do-not-call, stale registry).
 */
export interface GateRule {
  readonly id: string
  evaluate(facts: DecisionFacts, at: Instant): readonly Reason[]
  clearsAt?(facts: DecisionFacts, at: Instant): Instant | null
}
