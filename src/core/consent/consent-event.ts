import type { Instant } from '../time/instant.js'

export const CONSENT_KINDS = ['written', 'express', 'ebr-purchase', 'ebr-inquiry'] as const
export const CONSENT_CHANNELS = ['voice', 'sms', 'any'] as const
export const REVOCATION_VIA = ['sms', 'voice', 'email', 'web', 'agent', 'mail'] as const

export type ConsentKind = (typeof CONSENT_KINDS)[number]
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number]
export type RevocationVia = (typeof REVOCATION_VIA)[number]

/** A grant of consent (or an established business relationship) to one seller. */
export interface ConsentGrant {
  readonly type: 'grant'
  readonly id: string
  readonly sellerKey: string
  readonly kind: ConsentKind
  readonly channel: ConsentChannel
  readonly at: Instant
}

/** A revocation: ends every consent of the seller (or of every seller when `sellerKey` is null) granted at or before it. */
export interface ConsentRevocation {
  readonly type: 'revoke'
  readonly id: string
  readonly sellerKey: string | null
  readonly via: RevocationVia | null
  readonly at: Instant
}

/** Ledger events are append-only; state at an instant is derived from them. */
export type ConsentEvent = ConsentGrant | ConsentRevocation
