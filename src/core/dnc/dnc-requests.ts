import type { Instant } from '../time/instant.js'
import type { ConsentEvent, ConsentGrant } from '../consent/consent-event.js'
import type { CampaignChannel } from '../gate/campaign.js'
import type { DncEntry } from './dnc-entry.js'

/**
 * Every company-specific do-not-call request for a number: the explicit entries plus every
 * consent revocation (a revocation of marketing consent is also a do-not-call request).
 */
export function dncRequests(entries: readonly DncEntry[], events: readonly ConsentEvent[]): DncEntry[] {
  const all: DncEntry[] = [...entries]
  for (const e of events) {
    if (e.type === 'revoke') all.push({ id: e.id, sellerKey: e.sellerKey, at: e.at, origin: 'revocation' })
  }
  return all
}

/**
 * The do-not-call request in force for a seller at an instant, if any: made at or before `at`,
 * for this seller or every seller, and not superseded by a later written or express consent
 * from the seller for the campaign's channel (a new affirmative request given after it).
 */
export function dncInForce(
  requests: readonly DncEntry[],
  events: readonly ConsentEvent[],
  sellerKey: string,
  channel: CampaignChannel,
  at: Instant,
): DncEntry | null {
  let found: DncEntry | null = null
  for (const d of requests) {
    if (d.at > at || (d.sellerKey !== null && d.sellerKey !== sellerKey)) continue
    if (supersededBy(events, d, sellerKey, channel, at)) continue
    if (!found || d.at > found.at) found = d
  }
  return found
}

function supersededBy(
  events: readonly ConsentEvent[],
  d: DncEntry,
  sellerKey: string,
  channel: CampaignChannel,
  at: Instant,
): ConsentGrant | null {
  for (const e of events) {
    if (e.type !== 'grant' || e.sellerKey !== sellerKey) continue
    if (e.kind !== 'written' && e.kind !== 'express') continue
    if (e.channel !== 'any' && e.channel !== channel) continue
    if (e.at > d.at && e.at <= at) return e
  }
  return null
}

/** Whether any do-not-call request of the seller (or every seller) falls in `[from, to]`: it ends an EBR. */
export function dncRequestBetween(requests: readonly DncEntry[], sellerKey: string, from: Instant, to: Instant): boolean {
  return requests.some((d) => (d.sellerKey === null || d.sellerKey === sellerKey) && d.at >= from && d.at <= to)
}
