import type { Instant } from '../time/instant.js'
import type { Reason } from './reason.js'

/** The gate's answer for one number, campaign and instant. */
export interface Decision {
  readonly verdict: 'allow' | 'block'
  /** Every reason that blocks the call (empty when allowed). */
  readonly reasons: readonly Reason[]
  /** Earliest instant at or after the decision instant when the call would be allowed if nothing else changes; `null` when allowed now or when waiting cannot help. */
  readonly nextAllowedAt: Instant | null
}
