import type { Instant } from '../time/instant.js'

/** A consent grant (or EBR) as retention sees it: no evidence, only what its clocks need. */
export interface GrantFact {
  readonly id: string
  readonly sellerKey: string
  readonly kind: string
  readonly at: Instant
}

/** A revocation (seller-specific, or every seller when `sellerKey` is null). */
export interface RevocationFact {
  readonly id: string
  readonly sellerKey: string | null
  readonly at: Instant
}

/** A company-specific do-not-call request. */
export interface DncFact {
  readonly id: string
  readonly sellerKey: string | null
  readonly at: Instant
}

/** A Reassigned Numbers Database result. */
export interface ReassignedFact {
  readonly id: string
  readonly date: Instant
  readonly result: string
  readonly queriedAt: Instant
}

/** A call detail record. */
export interface CallFact {
  readonly id: string
  readonly campaignId: string
  readonly sellerKey: string
  readonly at: Instant
}

/** A contact record (lead data of one purpose): which fields it keeps and when each was last verified (no values). */
export interface ContactRecordFact {
  readonly id: string
  readonly purpose: string
  readonly createdAt: Instant
  readonly verifiedAt: Instant
  /** Field name → when its value was last verified. */
  readonly fields: Readonly<Record<string, Instant>>
}

/** Everything retention needs to know about one data subject (one telephone number). */
export interface SubjectFacts {
  readonly id: string
  readonly bidx: string
  readonly createdAt: Instant
  readonly grants: readonly GrantFact[]
  readonly revocations: readonly RevocationFact[]
  readonly dncEntries: readonly DncFact[]
  readonly reassigned: readonly ReassignedFact[]
  readonly calls: readonly CallFact[]
  /** When the person asked for erasure (their ceilings shrink to the floors), or null. */
  readonly erasureAt: Instant | null
  /** Contact records (lead data) per purpose; absent: none. */
  readonly contacts?: readonly ContactRecordFact[]
}

/** Where a record lives. */
export type RecordTable = 'consent_events' | 'dnc_entries' | 'reassigned_checks' | 'calls' | 'subjects' | 'decisions' | 'registry_versions' | 'contacts' | 'contact_fields' | 'contact_quarantine'
