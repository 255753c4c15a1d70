import type { Executor } from '../schema.js'
import { decryptField, encryptField, fieldKeyId, type FieldAad } from '../../crypto/envelope.js'
import { DialwardError, isError } from '../../core/errors.js'
import type { DataKeys } from './data-keys.js'

/**
 * Seals and opens encrypted columns (AES-256-GCM envelopes bound to table, row and column). Each
 * repository names its own sealed columns; this is the one place that turns them into ciphertext.
 */
export class Sealer {
  readonly #keys: DataKeys

  constructor(keys: DataKeys) {
    this.#keys = keys
  }

  /** Encrypts a value under data key `keyId` (`null` stays `null`). */
  async seal(ex: Executor, keyId: string, aad: FieldAad, value: string | Buffer | null): Promise<Buffer | null> {
    if (value === null) return null
    return encryptField(await this.#keys.get(ex, keyId), keyId, aad, value)
  }

  /** Encrypts a value under a data key already in hand. */
  sealWith(key: { readonly id: string; readonly key: Buffer }, aad: FieldAad, value: string | Buffer): Buffer {
    return encryptField(key.key, key.id, aad, value)
  }

  /**
   * Decrypts a sealed column to bytes (`null` stays `null`). Fails with `KEY_UNAVAILABLE` when
   * its key was destroyed (crypto-shredded) and `DECRYPT_FAILED`, naming the row and column, when
   * the bytes do not authenticate.
   */
  async openBytes(ex: Executor, aad: FieldAad, blob: Uint8Array | null): Promise<Buffer | null> {
    if (blob === null) return null
    let keyId: string
    try {
      keyId = fieldKeyId(blob)
    } catch (err) {
      throw undecryptable(aad, err)
    }
    const key = await this.#keys.get(ex, keyId)
    try {
      return decryptField(key, keyId, aad, blob)
    } catch (err) {
      throw undecryptable(aad, err)
    }
  }

  /**
   * Re-encrypts a sealed value under another data key (re-keying a subject): opens it with the key
   * it names, seals the plaintext under `fresh` with the same AAD, and zeroes the plaintext.
   * `null` stays `null`.
   */
  async reseal(ex: Executor, aad: FieldAad, blob: Uint8Array | null, fresh: { readonly id: string; readonly key: Buffer }): Promise<Buffer | null> {
    const plain = await this.openBytes(ex, aad, blob)
    if (plain === null) return null
    try {
      return encryptField(fresh.key, fresh.id, aad, plain)
    } finally {
      plain.fill(0)
    }
  }

  /** Decrypts a sealed text column (see `openBytes`). */
  async open(ex: Executor, aad: FieldAad, blob: Uint8Array | null): Promise<string | null> {
    const bytes = await this.openBytes(ex, aad, blob)
    return bytes === null ? null : bytes.toString('utf8')
  }
}

function undecryptable(aad: FieldAad, err: unknown): DialwardError {
  if (isError(err, 'KEY_UNAVAILABLE')) return err
  return new DialwardError('DECRYPT_FAILED', `${aad.table} ${aad.rowId} ${aad.column} cannot be decrypted: ${err instanceof Error ? err.message : String(err)}`)
}
