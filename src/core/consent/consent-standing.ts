import { DAY, type Instant } from '../time/instant.js'
import type { CampaignChannel } from '../gate/campaign.js'
import type { ReassignedCheck } from '../gate/facts.js'
import type { ConsentEvent, ConsentGrant, ConsentKind, ConsentRevocation } from './consent-event.js'

/** What the ledger says about one seller's consent of some kinds at one instant. */
export type ConsentStanding =
  | { readonly status: 'valid'; readonly grant: ConsentGrant }
  | { readonly status: 'revoked'; readonly grant: ConsentGrant; readonly revocation: ConsentRevocation }
  | { readonly status: 'voided'; readonly grant: ConsentGrant; readonly reassignedOn: Instant }
  | { readonly status: 'none' }

export interface ConsentQuery {
  readonly sellerKey: string
  readonly channel: CampaignChannel
  readonly kinds: readonly ConsentKind[]
  readonly at: Instant
  /** For EBR kinds: how long after the grant it stays valid (exclusive end); omitted = no expiry. */
  readonly expiresAt?: (grant: ConsentGrant) => Instant
}

/** Whether a revocation (seller-specific or for every seller) applies to a seller. */
export function revocationCovers(r: ConsentRevocation, sellerKey: string): boolean {
  return r.sellerKey === null || r.sellerKey === sellerKey
}

/**
 * Answers "what consent did seller S hold for this number at instant T?" from the append-only
 * ledger. A grant counts when it is for the seller, of one of the kinds asked, for a matching
 * channel (`any` matches every channel), granted at or before T, not expired, not revoked
 * by a revocation at or after the grant and at or before T, and not voided by a reassigned-number
 * result `yes` for a date on or after the grant's date.
 *
 * Preference: a valid grant wins; otherwise the latest revoked grant; otherwise the latest voided one.
 */
export function consentStandingAt(
  events: readonly ConsentEvent[],
  reassigned: readonly ReassignedCheck[],
  q: ConsentQuery,
): ConsentStanding {
  let revoked: ConsentStanding | null = null
  let voided: ConsentStanding | null = null
  let valid: ConsentGrant | null = null
  for (const e of events) {
    if (e.type !== 'grant' || e.sellerKey !== q.sellerKey || e.at > q.at) continue
    if (!q.kinds.includes(e.kind)) continue
    if (e.channel !== 'any' && e.channel !== q.channel) continue
    if (q.expiresAt && q.at >= q.expiresAt(e)) continue
    const revocation = latestRevocationEnding(events, e, q.at)
    if (revocation) {
      if (!revoked || revoked.status !== 'revoked' || revoked.grant.at <= e.at) revoked = { status: 'revoked', grant: e, revocation }
      continue
    }
    const reassignedOn = reassignmentVoiding(reassigned, e)
    if (reassignedOn !== null) {
      if (!voided || voided.status !== 'voided' || voided.grant.at <= e.at) voided = { status: 'voided', grant: e, reassignedOn }
      continue
    }
    if (!valid || valid.at <= e.at) valid = e
  }
  if (valid) return { status: 'valid', grant: valid }
  return revoked ?? voided ?? { status: 'none' }
}

function latestRevocationEnding(events: readonly ConsentEvent[], grant: ConsentGrant, at: Instant): ConsentRevocation | null {
  let found: ConsentRevocation | null = null
  for (const e of events) {
    if (e.type !== 'revoke' || !revocationCovers(e, grant.sellerKey)) continue
    if (e.at >= grant.at && e.at <= at && (!found || e.at > found.at)) found = e
  }
  return found
}

/** A `yes` for date D voids every consent granted on or before D (any time on that UTC day). */
function reassignmentVoiding(reassigned: readonly ReassignedCheck[], grant: ConsentGrant): Instant | null {
  for (const r of reassigned) {
    if (r.result === 'yes' && grant.at < r.date + DAY) return r.date
  }
  return null
}
