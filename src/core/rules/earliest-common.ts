import type { Instant } from '../time/instant.js'
import { NEXT_ALLOWED_HORIZON } from '../gate/decide.js'

/** How far ahead time rules search for the next allowed instant: the gate's own horizon (beyond: `null`). */
export const TIME_RULE_HORIZON = NEXT_ALLOWED_HORIZON

/**
 * A condition on instants (e.g. "inside the FL window in America/Chicago") with a cheap way to
 * jump forward to where it might hold again.
 */
export interface TimeConstraint {
  isOpen(t: Instant): boolean
  /**
   * Precondition: closed at `t`. Returns an instant `> t` that is no later than the next instant
   * at which the constraint is open (a lower bound; exact in all ordinary cases).
   */
  nextOpenBound(t: Instant): Instant
}

/**
 * The earliest instant in `[from, until]` at which every constraint is open, or `null`.
 *
 * Each step jumps to the latest of the failing constraints' next openings. Since each jump
 * is a lower bound for its constraint, the cursor never passes the true answer, and it strictly
 * increases, so the first all-open cursor is the earliest one. Steps scale with the number of
 * window boundaries crossed, not with minutes.
 *
 * @example earliestCommonOpen([nyWindow, chicagoWindow], t, t + 400 * DAY)
 */
export function earliestCommonOpen(
  constraints: readonly TimeConstraint[],
  from: Instant,
  until: Instant,
  maxSteps = 20_000,
): Instant | null {
  let cursor = from
  for (let step = 0; step < maxSteps; step++) {
    if (cursor > until) return null
    let next = cursor
    for (const c of constraints) {
      if (c.isOpen(cursor)) continue
      const n = c.nextOpenBound(cursor)
      if (n > next) next = n
      else if (n <= cursor) next = Math.max(next, cursor + 1)
    }
    if (next === cursor) return cursor
    cursor = next
  }
  return null
}
