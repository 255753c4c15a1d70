import { createCipheriv, createDecipheriv } from 'node:crypto'
import { randomIv } from './random-iv.js'
import { encodeAad } from './aad-encoding.js'
import { DecryptError } from './decrypt-error.js'
import type { Keyring } from './keyring.js'

/** A data key wrapped by a key-encryption key. Store all three fields; `blob` is opaque. */
export interface WrappedKey {
  /** Id of the KEK that wrapped the key. */
  readonly kekId: string
  /** Wrapping algorithm, e.g. `A256GCM`. */
  readonly alg: string
  /** Provider-specific wrapped bytes. */
  readonly blob: Buffer
}

/**
 * Port for wrapping and unwrapping data keys with a key-encryption key. The file keyring
 * implements it today; a KMS or Vault transit engine can implement it later without the
 * callers changing. `aad` binds a wrapped key to where it is stored (e.g. its row id), so a
 * wrapped key copied to another row does not unwrap.
 */
export interface KeyProvider {
  /** Id of the KEK that {@link KeyProvider.wrap} uses now. */
  activeKekId(): string
  /** Wraps a data key under the active KEK. */
  wrap(dek: Buffer, aad: string): WrappedKey
  /**
   * Unwraps a data key wrapped under any KEK the provider still holds (active or retired).
   * Throws a `DecryptError` on any mismatch. The caller should `fill(0)` the result once it
   * is no longer needed.
   */
  unwrap(w: WrappedKey, aad: string): Buffer
}

/** Algorithm name {@link FileKeyProvider} writes into {@link WrappedKey.alg}. */
export const FILE_WRAP_ALG = 'A256GCM'

const DEK_BYTES = 32
const IV_BYTES = 12
const TAG_BYTES = 16
const BLOB_BYTES = IV_BYTES + TAG_BYTES + DEK_BYTES
const AAD_DOMAIN = 'dialward.dek-wrap.v1'

/**
 * {@link KeyProvider} over a {@link Keyring}: AES-256-GCM with a random 96-bit IV per wrap and a
 * 16-byte tag (enforced with `authTagLength: 16`).
 *
 * `blob` layout (60 bytes): IV (12) ‖ tag (16) ‖ encrypted 32-byte data key (32).
 * GCM AAD: length-prefixed parts (`encodeAad`) of
 * `'dialward.dek-wrap.v1'`, alg, kekId, caller `aad` — so kekId and alg cannot be swapped either.
 */
export class FileKeyProvider implements KeyProvider {
  readonly #keyring: Keyring

  constructor(keyring: Keyring) {
    this.#keyring = keyring
  }

  activeKekId(): string {
    return this.#keyring.activeKek.id
  }

  wrap(dek: Buffer, aad: string): WrappedKey {
    if (dek.length !== DEK_BYTES) throw new RangeError(`data key must be ${DEK_BYTES} bytes`)
    const kekId = this.#keyring.activeKek.id
    const kek = this.#keyring.kekKey(kekId)
    if (!kek) throw new Error('keyring has no key for its active KEK') // unreachable: Keyring validates this
    const iv = randomIv()
    const cipher = createCipheriv('aes-256-gcm', kek, iv, { authTagLength: TAG_BYTES })
    cipher.setAAD(encodeAad([AAD_DOMAIN, FILE_WRAP_ALG, kekId, aad]))
    const ct = Buffer.concat([cipher.update(dek), cipher.final()])
    const blob = Buffer.concat([iv, cipher.getAuthTag(), ct])
    return { kekId, alg: FILE_WRAP_ALG, blob }
  }

  unwrap(w: WrappedKey, aad: string): Buffer {
    if (w.alg !== FILE_WRAP_ALG) throw new DecryptError('unsupported', 'wrapped key uses an unsupported algorithm')
    if (w.blob.length !== BLOB_BYTES) throw new DecryptError('malformed', 'wrapped key has the wrong length')
    const kek = this.#keyring.kekKey(w.kekId)
    if (!kek) throw new DecryptError('key-mismatch', 'wrapped key names a KEK this keyring does not hold')
    const iv = w.blob.subarray(0, IV_BYTES)
    const tag = w.blob.subarray(IV_BYTES, IV_BYTES + TAG_BYTES)
    const ct = w.blob.subarray(IV_BYTES + TAG_BYTES)
    const decipher = createDecipheriv('aes-256-gcm', kek, iv, { authTagLength: TAG_BYTES })
    decipher.setAAD(encodeAad([AAD_DOMAIN, w.alg, w.kekId, aad]))
    decipher.setAuthTag(tag)
    const dek = decipher.update(ct)
    try {
      decipher.final()
    } catch {
      dek.fill(0)
      throw new DecryptError('auth-failed', 'wrapped key failed authentication (wrong KEK, wrong AAD or modified)')
    }
    return dek
  }
}
