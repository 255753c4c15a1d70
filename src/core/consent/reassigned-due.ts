import { DAY, type Instant } from '../time/instant.js'
import type { CampaignChannel } from '../gate/campaign.js'
import type { ReassignedCheck } from '../gate/facts.js'
import type { ConsentEvent, ConsentKind } from './consent-event.js'
import { consentStandingAt } from './consent-standing.js'

/** What the consent a call relies on is checked for: a seller's consent of some kinds on a channel (a campaign), or every seller's. */
export interface RelianceQuery {
  /** Only this seller (a campaign's); `null`: every seller holding consent for the number. */
  readonly sellerKey: string | null
  /** The campaign's channel; `null`: each channel the seller's grants name. */
  readonly channel: CampaignChannel | null
  readonly kinds: readonly ConsentKind[]
  readonly at: Instant
  /** Results queried before this instant no longer count as a check (a re-check cadence); `null`: every result counts. */
  readonly checkedSince: Instant | null
}

/** A consent in force that no Reassigned Numbers Database result covers yet: the date to query. */
export interface ReassignedDue {
  readonly sellerKey: string
  readonly grantId: string
  readonly grantedAt: Instant
  /** The date to ask the database about (the grant's UTC day, 00:00 UTC): "disconnected since this date?". */
  readonly queryDate: Instant
  /** When the number was last answered for (any date), or `null` when never. */
  readonly lastQueriedAt: Instant | null
}

/** The consent kinds that rest on the subscriber's own consent (the ones a reassignment voids). */
export const RELIANCE_KINDS: readonly ConsentKind[] = Object.freeze(['written', 'express'])

/**
 * The consents of one number that a call would rely on and that are not yet checked against the
 * FCC Reassigned Numbers Database: for each seller (and channel) the consent the gate would use
 * (the latest valid grant), unless an answer (`no` or `no-data`; a `yes` already voids it) exists
 * for a date on or before the grant's day — "not disconnected since D" covers every later date.
 * The date to query is the grant's UTC day. At most one entry per seller.
 */
export function reassignedDue(events: readonly ConsentEvent[], checks: readonly ReassignedCheck[], q: RelianceQuery): ReassignedDue[] {
  const sellers = new Map<string, Set<CampaignChannel>>()
  for (const e of events) {
    if (e.type !== 'grant' || e.at > q.at || !q.kinds.includes(e.kind)) continue
    if (q.sellerKey !== null && e.sellerKey !== q.sellerKey) continue
    const channels = sellers.get(e.sellerKey) ?? new Set<CampaignChannel>()
    if (q.channel !== null) channels.add(q.channel)
    else channels.add(e.channel === 'any' ? 'voice' : e.channel)
    sellers.set(e.sellerKey, channels)
  }
  const counting = checks.filter((c) => q.checkedSince === null || c.queriedAt >= q.checkedSince)
  const lastQueriedAt = checks.length === 0 ? null : Math.max(...checks.map((c) => c.queriedAt))
  const out: ReassignedDue[] = []
  for (const [sellerKey, channels] of [...sellers.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    let due: ReassignedDue | null = null
    for (const channel of [...channels].sort()) {
      const standing = consentStandingAt(events, checks, { sellerKey, channel, kinds: q.kinds, at: q.at })
      if (standing.status !== 'valid') continue
      const queryDate = Math.floor(standing.grant.at / DAY) * DAY
      if (counting.some((c) => c.result !== 'yes' && c.date <= queryDate)) continue
      if (due === null || queryDate < due.queryDate) due = { sellerKey, grantId: standing.grant.id, grantedAt: standing.grant.at, queryDate, lastQueriedAt }
    }
    if (due !== null) out.push(due)
  }
  return out
}
