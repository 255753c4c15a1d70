import type { Instant } from '../time/instant.js'

/** What a legal hold covers. */
export type HoldScope =
  | { readonly kind: 'phone'; readonly bidx: string }
  | { readonly kind: 'seller'; readonly sellerKey: string }
  | { readonly kind: 'campaign'; readonly campaignId: string }
  | { readonly kind: 'all' }

/** A legal hold: while active, nothing it covers is purged or erased. */
export interface LegalHold {
  readonly id: string
  readonly scope: HoldScope
  readonly createdAt: Instant
  /** Exclusive end, or null for open-ended. */
  readonly until: Instant | null
  readonly releasedAt: Instant | null
}

/** Whether a hold is in force at `now`: not released and not past its `until`. */
export function holdActive(h: LegalHold, now: Instant): boolean {
  return h.releasedAt === null && (h.until === null || now < h.until)
}

/** What a subject's records say about it, for matching seller and campaign holds. */
export interface HoldTarget {
  /** The number's blind index (`null` for a decision about an invalid number). */
  readonly bidx: string | null
  readonly sellerKeys: ReadonlySet<string>
  readonly campaignIds: ReadonlySet<string>
}

/**
 * The active holds covering a subject. Holds are subject-wide: a hold on a seller or a campaign
 * keeps everything about every number with a record of that seller or campaign (litigation asks
 * for the whole story of a number, not single rows).
 */
export function holdsCovering(holds: readonly LegalHold[], target: HoldTarget, now: Instant): LegalHold[] {
  return holds.filter((h) => {
    if (!holdActive(h, now)) return false
    switch (h.scope.kind) {
      case 'all':
        return true
      case 'phone':
        return h.scope.bidx === target.bidx
      case 'seller':
        return target.sellerKeys.has(h.scope.sellerKey)
      case 'campaign':
        return target.campaignIds.has(h.scope.campaignId)
    }
  })
}

/** The active holds covering one decision-log row (by number, campaign, the campaign's seller, or all). */
export function holdsCoveringDecision(
  holds: readonly LegalHold[],
  row: { readonly bidx: string | null; readonly campaignId: string; readonly sellerKey: string | null },
  now: Instant,
): LegalHold[] {
  const sellerKeys = new Set(row.sellerKey === null ? [] : [row.sellerKey])
  return holdsCovering(holds, { bidx: row.bidx, sellerKeys, campaignIds: new Set([row.campaignId]) }, now)
}
