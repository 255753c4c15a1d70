import type { Instant } from '../time/instant.js'

/**
 * A company-specific do-not-call request for one number: from `dnc add` or implied by a
 * consent revocation. `sellerKey === null` means every seller.
 */
export interface DncEntry {
  readonly id: string
  readonly sellerKey: string | null
  readonly at: Instant
  readonly origin: 'request' | 'revocation'
}
