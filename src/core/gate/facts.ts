import type { Instant } from '../time/instant.js'
import type { Phone } from '../phone/phone.js'
import type { Campaign } from './campaign.js'
import type { Place } from './place.js'
import type { ConsentEvent } from '../consent/consent-event.js'
import type { DncEntry } from '../dnc/dnc-entry.js'

/** Result of a reassigned-numbers database query for a number and date. */
export interface ReassignedCheck {
  /** The date asked about (consent date or last date known reachable), 00:00 UTC. */
  readonly date: Instant
  readonly result: 'yes' | 'no' | 'no-data'
  readonly queriedAt: Instant
}

/** A recorded call attempt. */
export interface CallAttempt {
  readonly at: Instant
  readonly campaignId: string
  readonly sellerKey: string
  /** The purpose of the campaign that placed it (frequency caps count marketing calls only). */
  readonly purpose: 'marketing' | 'informational'
  readonly outcome: 'answered' | 'abandoned' | 'no-answer' | 'busy' | 'voicemail' | 'failed'
}

/** One do-not-call registry (national or state) as it applies to this number. */
export interface RegistryFact {
  /** `us-national`, `us-state-FL`, `ca-national`, `uk-tps`. */
  readonly registry: string
  readonly kind: 'national' | 'state'
  /**
   * The area code the version was looked up for (NANP numbers: a version covers area codes, and
   * each area code has its own version in force); `null` or absent for a whole registry (UK TPS).
   */
  readonly area?: number | null
  /** The version in force (for `area`), or `null` when none covers it. */
  readonly version: { readonly id: string; readonly asOf: Instant } | null
  /** Whether the number is on that version (false when no version). */
  readonly listed: boolean
}

/** A contact record of the number for one data purpose: when its values were last verified (no values). */
export interface ContactFact {
  readonly purpose: string
  readonly verifiedAt: Instant
}

/** The staleness policy of the campaign's data purpose (from the data schema). */
export interface DataPolicy {
  readonly purpose: string
  /** Days after the last verification at which contact data of the purpose is stale; `null`: never. */
  readonly staleAfterDays: number | null
}

/** Operator-set flags that change the gate (declared emergencies and the like). */
export interface OperatorFlags {
  /** Regions (e.g. `US-LA`) under a declared state of emergency at the decision instant. */
  readonly emergencies: readonly string[]
}

/** Abandonment statistics for the campaign over one look-back period. */
export interface AbandonmentStats {
  readonly liveAnswered: number
  readonly abandoned: number
}

/**
 * The campaign's abandonment statistics over each look-back period the rules use, keyed by the
 * period in hours (`720`: 30 days, US and Canada; `24`: the UK). A period not present was not
 * measured: no rule of that period blocks.
 */
export type AbandonmentByPeriod = Readonly<Record<number, AbandonmentStats>>

/**
 * Everything `decide()` needs, gathered by the app layer. Pure data: no handles, no clocks.
 * `phone === null` means the input was not a valid number.
 */
export interface DecisionFacts {
  readonly phone: Phone | null
  readonly campaign: Campaign
  /** Candidate places (area code, NPA-NXX refinements, consumer address). */
  readonly places: readonly Place[]
  /** Every consent grant and revocation recorded for this number, any seller, any time. */
  readonly consentEvents: readonly ConsentEvent[]
  /** Company-specific do-not-call entries for this number (explicit and from revocations). */
  readonly dncEntries: readonly DncEntry[]
  readonly reassigned: readonly ReassignedCheck[]
  /** Registries that could apply: the number's country's national list and the state lists of its places. */
  readonly registries: readonly RegistryFact[]
  /** Recent call attempts to this number by any campaign (the app may bound the look-back). */
  readonly calls: readonly CallAttempt[]
  readonly abandonment: AbandonmentByPeriod | null
  readonly flags: OperatorFlags
  /** The number's contact records, one per data purpose (absent: none). */
  readonly contacts?: readonly ContactFact[]
  /** The staleness policy of the campaign's data purpose (absent or `null`: none applies). */
  readonly dataPolicy?: DataPolicy | null
}
