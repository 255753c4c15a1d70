export const PURPOSES = ['marketing', 'informational'] as const
export const DIALING_MODES = ['autodialed', 'prerecorded', 'manual'] as const
export const CAMPAIGN_CHANNELS = ['voice', 'sms'] as const

export type Purpose = (typeof PURPOSES)[number]
export type DialingMode = (typeof DIALING_MODES)[number]
export type CampaignChannel = (typeof CAMPAIGN_CHANNELS)[number]

/** A calling campaign: who calls (seller), why (purpose), and how (dialing mode, channel). */
export interface Campaign {
  readonly id: string
  /** Seller's display name as registered. */
  readonly seller: string
  /** Seller's comparison key (see `sellerKey`). */
  readonly sellerKey: string
  readonly purpose: Purpose
  readonly dialing: DialingMode
  readonly channel: CampaignChannel
  /**
   * The data purpose whose contact data the campaign dials (`campaign add --data-purpose`), which
   * decides the staleness policy the gate applies (`DATA_STALE`) and the fields its lists carry.
   * Absent: the campaign's own purpose (`marketing` or `informational`).
   */
  readonly dataPurpose?: string
}

/** The data purpose of a campaign: the one it names, else its own purpose. */
export function dataPurposeOf(c: Campaign): string {
  return c.dataPurpose ?? c.purpose
}

/**
 * The key sellers are compared by: Unicode NFKC, trimmed, inner whitespace collapsed,
 * lower case. `Acme Retail` and ` acme  retail ` are one seller.
 */
export function sellerKey(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase()
}
