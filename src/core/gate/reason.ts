/** Stable reason codes of the gate (contract: never rename or remove, only add). */
export const REASON_CODES = [
  'INVALID_NUMBER',
  'INTERNAL_DNC',
  'NATIONAL_DNC',
  'STATE_DNC',
  'NO_CONSENT',
  'CONSENT_REVOKED',
  'CALLING_HOURS',
  'RESTRICTED_DAY',
  'FREQUENCY_CAP',
  'REASSIGNED_NUMBER',
  'REGISTRY_STALE',
  'EMERGENCY',
  'ABANDON_RATE',
  'DATA_STALE',
  'LITIGATOR',
] as const

export type ReasonCode = (typeof REASON_CODES)[number]

/** One reason a call is blocked: a stable code, a human message, and the rule with its source. */
export interface Reason {
  readonly code: ReasonCode
  readonly message: string
  /** Rule name and citation, e.g. `US-FL calling window 08:00-20:00, Fla. Stat. 501.616(6)`. */
  readonly rule: string
}
