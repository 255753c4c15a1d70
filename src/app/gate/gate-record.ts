import type { ConsentChannel, ConsentEvent, ConsentKind, RevocationVia } from '../../core/consent/consent-event.js'
import type { DncEntry } from '../../core/dnc/dnc-entry.js'
import type { CallAttempt, ContactFact, ReassignedCheck } from '../../core/gate/facts.js'
import { DAY } from '../../core/time/instant.js'
import type { SubjectFile } from '../../store/repos/subject-records.js'

/** How far back call records are read for frequency caps (the abandonment rate is per campaign). */
export const CALL_LOOKBACK = 31 * DAY

/** Everything the gate knows about one number, read without decrypting anything. */
export interface SubjectRecord {
  readonly consentEvents: readonly ConsentEvent[]
  readonly dncEntries: readonly DncEntry[]
  readonly reassigned: readonly ReassignedCheck[]
  readonly calls: readonly CallAttempt[]
  /** Contact records per data purpose: when each was last verified (`DATA_STALE`). */
  readonly contacts: readonly ContactFact[]
}

const NONE: readonly never[] = Object.freeze([])
const EMPTY: SubjectRecord = Object.freeze({ consentEvents: NONE, dncEntries: NONE, reassigned: NONE, calls: NONE, contacts: NONE })

/** The record of a number that has never been seen: no consent, no requests, no calls. */
export function emptyRecord(): SubjectRecord {
  return EMPTY
}

/**
 * The gate's view of a number's stored rows; `undefined` when nothing about it bears on a
 * decision (the bulk scrub then uses a decision cached for numbers without a record).
 * Suppression entries left by purged requests and erasures block exactly like the requests they replace.
 */
export function gateRecord(file: SubjectFile<boolean> | undefined): SubjectRecord | undefined {
  if (file === undefined) return undefined
  if (file.consent.length + file.dnc.length + file.reassigned.length + file.calls.length + file.suppressions.length + file.contacts.length === 0) return undefined
  const consentEvents: readonly ConsentEvent[] = file.consent.length === 0 ? NONE : file.consent.map((row) =>
    row.type === 'grant'
      ? { type: 'grant', id: row.id, sellerKey: row.seller_key ?? '', kind: row.kind as ConsentKind, channel: row.channel as ConsentChannel, at: row.at }
      : { type: 'revoke', id: row.id, sellerKey: row.seller_key, via: row.via as RevocationVia | null, at: row.at },
  )
  const dncEntries: readonly DncEntry[] =
    file.dnc.length + file.suppressions.length === 0
      ? NONE
      : [
          ...file.dnc.map((d) => ({ id: d.id, sellerKey: d.seller_key, at: d.at, origin: 'request' as const })),
          ...file.suppressions.map((s) => ({ id: s.id, sellerKey: s.seller_key, at: s.at, origin: s.origin === 'revocation' ? ('revocation' as const) : ('request' as const) })),
        ]
  return {
    consentEvents,
    dncEntries,
    reassigned: file.reassigned.length === 0 ? NONE : file.reassigned.map((r) => ({ date: r.date, result: r.result as ReassignedCheck['result'], queriedAt: r.queried_at })),
    calls: file.calls.length === 0 ? NONE : file.calls.map((c) => ({ at: c.at, campaignId: c.campaign_id, sellerKey: c.seller_key, purpose: callPurpose(c.campaign_purpose), outcome: c.outcome as CallAttempt['outcome'] })),
    contacts: file.contacts.length === 0 ? NONE : file.contacts.map((c) => ({ purpose: c.purpose, verifiedAt: c.verified_at })),
  }
}

/** A call's purpose: its campaign's; a call whose campaign is gone counts as marketing (it then counts toward caps: fail closed). */
function callPurpose(purpose: string | null): CallAttempt['purpose'] {
  return purpose === 'informational' ? 'informational' : 'marketing'
}
