import { createHmac, hash } from 'node:crypto'
import { inspect } from 'node:util'
import type { Keyring } from './keyring.js'

/**
 * Domain-separation prefix of phone blind indexes. It is hashed before the number so the same
 * key can never produce a phone index that equals an HMAC computed for another purpose; bump
 * the version to change the derivation.
 */
export const PHONE_INDEX_DOMAIN = 'dialward.phone.v1\0'

/** Length of a blind index in hex characters (128 bits). */
export const BLIND_INDEX_HEX_LENGTH = 32

const KEY_BYTES = 32
const E164 = /^\+[1-9][0-9]{1,14}$/
const BLOCK = 64
const MAX_E164 = 16

/**
 * Keyed blind index of a canonical E.164 number: HMAC-SHA-256(key, PHONE_INDEX_DOMAIN ‖ e164),
 * hex, truncated to 32 hex characters (128 bits). A plain hash would be brute-forced in minutes
 * (the number space is small); without the key, an index reveals nothing about the number.
 *
 * Only canonical E.164 is accepted (`+` then 2–15 digits, no leading 0): indexing any other
 * spelling would let variants of one number escape suppression, so it throws a `RangeError`.
 * This is the reference implementation; {@link BlindIndexer} computes the same value faster.
 */
export function blindIndex(key: Buffer, canonical: string): string {
  checkKey(key)
  checkE164(canonical)
  return createHmac('sha256', key)
    .update(PHONE_INDEX_DOMAIN, 'utf8')
    .update(canonical, 'utf8')
    .digest('hex')
    .slice(0, BLIND_INDEX_HEX_LENGTH)
}

/**
 * Computes phone blind indexes with the keyring's blind-index key, for hot loops (bulk scrubs).
 * It precomputes the HMAC pads with the domain prefix once and then runs two one-shot SHA-256
 * calls per number over reused buffers (no per-call HMAC object), which is RFC 2104 HMAC
 * exactly: the result always equals {@link blindIndex}. Not for use across worker threads
 * (build one per thread).
 */
export class BlindIndexer {
  /** Id of the key the indexes are computed with. */
  readonly keyId: string
  readonly #inner: Buffer
  readonly #innerStart: number
  readonly #outer: Buffer

  constructor(keyring: Keyring) {
    const key = keyring.blindIndexKey().export()
    checkKey(key)
    this.keyId = keyring.blindIndexKeyId
    const domain = Buffer.from(PHONE_INDEX_DOMAIN, 'utf8')
    this.#innerStart = BLOCK + domain.length
    this.#inner = Buffer.alloc(this.#innerStart + MAX_E164, 0x36)
    this.#outer = Buffer.alloc(BLOCK + 32, 0x5c)
    for (let i = 0; i < key.length; i++) {
      this.#inner[i] = 0x36 ^ (key[i] as number)
      this.#outer[i] = 0x5c ^ (key[i] as number)
    }
    key.fill(0)
    domain.copy(this.#inner, BLOCK)
  }

  /** Blind index of a canonical E.164 number; throws a `RangeError` for any other spelling. */
  phone(e164: string): string {
    checkE164(e164)
    const end = this.#innerStart + this.#inner.write(e164, this.#innerStart, 'latin1')
    const innerDigest = hash('sha256', this.#inner.subarray(0, end), 'buffer')
    innerDigest.copy(this.#outer, BLOCK)
    return hash('sha256', this.#outer, 'hex').slice(0, BLIND_INDEX_HEX_LENGTH)
  }

  /** Never prints key material. */
  toJSON(): { keyId: string } {
    return { keyId: this.keyId }
  }

  /** Never prints key material. */
  toString(): string {
    return `BlindIndexer(${this.keyId})`
  }

  /** Used by `util.inspect` and `console.log`. */
  [inspect.custom](): string {
    return this.toString()
  }
}

function checkKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new RangeError(`blind-index key must be ${KEY_BYTES} bytes`)
}

function checkE164(s: string): void {
  if (!E164.test(s)) throw new RangeError('blind index needs a canonical E.164 number (+ then 2–15 digits)')
}
