import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { randomIv } from './random-iv.js'
import { encodeAad } from './aad-encoding.js'
import { DecryptError } from './decrypt-error.js'

/**
 * Field envelope, format version 1 (all integers unsigned, one byte):
 *
 * | offset   | size | field                                                      |
 * |----------|------|------------------------------------------------------------|
 * | 0        | 1    | format version = 0x01                                      |
 * | 1        | 1    | algorithm id = 0x01 (AES-256-GCM, 96-bit IV, 128-bit tag)  |
 * | 2        | 1    | L = length of the data-key id in bytes (1–255)             |
 * | 3        | L    | data-key id, UTF-8                                         |
 * | 3+L      | 12   | IV (random per encryption)                                 |
 * | 15+L     | 16   | GCM authentication tag                                     |
 * | 31+L     | n    | ciphertext (n = plaintext length, may be 0)                |
 *
 * GCM AAD (not stored): `encodeAad` (4-byte big-endian length before each part) of
 * `'dialward.field'`, [version], [algorithm id], data-key id, table, rowId, column. Every header
 * byte is therefore authenticated, and a ciphertext moved to another row, column or table, or
 * relabelled with another key id, fails to decrypt.
 */
export const FIELD_FORMAT_VERSION = 1

/** Algorithm id for AES-256-GCM with a 96-bit IV and a 128-bit tag. */
export const ALG_AES_256_GCM = 1

/** Where a field ciphertext lives; bound into the AAD. */
export interface FieldAad {
  readonly table: string
  readonly rowId: string
  readonly column: string
}

const DEK_BYTES = 32
const IV_BYTES = 12
const TAG_BYTES = 16
const HEADER_FIXED = 3
const AAD_DOMAIN = 'dialward.field'
const LONE_SURROGATE = /[\uD800-\uDFFF]/u

/** A fresh random 256-bit data key. */
export function newDataKey(): Buffer {
  return randomBytes(DEK_BYTES)
}

/**
 * Encrypts one field under data key `dek` (id `dekId`, 1–255 UTF-8 bytes) bound to its table,
 * row and column. Strings are encoded as UTF-8; one with a lone surrogate is refused with a
 * `TypeError` rather than silently altered. Uses a fresh random 96-bit IV, so keep each
 * data key well below 2^32 encryptions (NIST SP 800-38D); per-subject keys are far below that.
 */
export function encryptField(dek: Buffer, dekId: string, aad: FieldAad, plaintext: string | Buffer): Buffer {
  if (dek.length !== DEK_BYTES) throw new RangeError(`data key must be ${DEK_BYTES} bytes`)
  const keyId = Buffer.from(dekId, 'utf8')
  if (keyId.length < 1 || keyId.length > 255) throw new RangeError('data key id must be 1–255 UTF-8 bytes')
  const header = Buffer.from([FIELD_FORMAT_VERSION, ALG_AES_256_GCM, keyId.length])
  const iv = randomIv()
  const cipher = createCipheriv('aes-256-gcm', dek, iv, { authTagLength: TAG_BYTES })
  cipher.setAAD(aadBytes(FIELD_FORMAT_VERSION, ALG_AES_256_GCM, dekId, aad))
  if (typeof plaintext === 'string' && LONE_SURROGATE.test(plaintext)) {
    throw new TypeError('plaintext must be well-formed Unicode (UTF-8 would replace its lone surrogate)')
  }
  const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext
  const ct = Buffer.concat([cipher.update(data), cipher.final()])
  return Buffer.concat([header, keyId, iv, cipher.getAuthTag(), ct])
}

/**
 * Decrypts a field written by {@link encryptField}. Throws a {@link DecryptError} (never
 * returning partial plaintext) when the blob is truncated or malformed, has an unknown version
 * or algorithm, names another key id, or fails authentication (wrong key, wrong AAD, any
 * modified bit).
 */
export function decryptField(dek: Buffer, dekId: string, aad: FieldAad, blob: Uint8Array): Buffer {
  const b = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength)
  const { version, alg, keyId, bodyStart } = parseHeader(b)
  if (!keyId.equals(Buffer.from(dekId, 'utf8'))) {
    throw new DecryptError('key-mismatch', 'field was encrypted under a different data key')
  }
  if (dek.length !== DEK_BYTES) throw new DecryptError('bad-key', `data key must be ${DEK_BYTES} bytes`)
  const iv = b.subarray(bodyStart, bodyStart + IV_BYTES)
  const tag = b.subarray(bodyStart + IV_BYTES, bodyStart + IV_BYTES + TAG_BYTES)
  const ct = b.subarray(bodyStart + IV_BYTES + TAG_BYTES)
  const decipher = createDecipheriv('aes-256-gcm', dek, iv, { authTagLength: TAG_BYTES })
  decipher.setAAD(aadBytes(version, alg, dekId, aad))
  decipher.setAuthTag(tag)
  const pt = decipher.update(ct)
  try {
    decipher.final()
  } catch {
    pt.fill(0)
    throw new DecryptError('auth-failed', 'field failed authentication (wrong key, wrong row or modified)')
  }
  return pt
}

/**
 * The data-key id a field blob names, read from its header without decrypting (to find which
 * key to fetch). Throws a {@link DecryptError} on a malformed or unsupported header. The id is
 * not authenticated until {@link decryptField} succeeds.
 */
export function fieldKeyId(blob: Uint8Array): string {
  const b = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength)
  return parseHeader(b).keyId.toString('utf8')
}

function parseHeader(b: Buffer): { version: number; alg: number; keyId: Buffer; bodyStart: number } {
  if (b.length < HEADER_FIXED) throw new DecryptError('malformed', 'field blob is truncated')
  const version = b[0] as number
  const alg = b[1] as number
  const keyIdLength = b[2] as number
  if (version !== FIELD_FORMAT_VERSION) throw new DecryptError('unsupported', 'field blob has an unknown format version')
  if (alg !== ALG_AES_256_GCM) throw new DecryptError('unsupported', 'field blob has an unknown algorithm id')
  if (keyIdLength === 0) throw new DecryptError('malformed', 'field blob has an empty key id')
  const bodyStart = HEADER_FIXED + keyIdLength
  if (b.length < bodyStart + IV_BYTES + TAG_BYTES) throw new DecryptError('malformed', 'field blob is truncated')
  return { version, alg, keyId: b.subarray(HEADER_FIXED, bodyStart), bodyStart }
}

function aadBytes(version: number, alg: number, dekId: string, aad: FieldAad): Buffer {
  return encodeAad([AAD_DOMAIN, Uint8Array.of(version), Uint8Array.of(alg), dekId, aad.table, aad.rowId, aad.column])
}
