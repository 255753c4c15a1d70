import { createHash, createPublicKey, sign as edSign, verify as edVerify, type KeyObject } from 'node:crypto'
import type { Keyring } from './keyring.js'

const SIGNATURE_BYTES = 64

/** Ed25519 signature (64 bytes) of `bytes` with the keyring's signing key. */
export function sign(keyring: Keyring, bytes: Uint8Array): Buffer {
  return edSign(null, bytes, keyring.signingPrivateKey())
}

/**
 * Verifies an Ed25519 signature against a public key given as SPKI DER. Returns `false` for a
 * wrong or malformed signature. Throws a `TypeError` when the public key is not an Ed25519
 * SPKI key (a configuration error, not a forgery), so a wrong key type can never verify.
 */
export function verify(publicKeySpkiDer: Buffer, bytes: Uint8Array, sig: Uint8Array): boolean {
  const key = ed25519PublicKey(publicKeySpkiDer)
  if (sig.length !== SIGNATURE_BYTES) return false
  try {
    return edVerify(null, bytes, key, sig)
  } catch {
    return false
  }
}

/** The keyring's Ed25519 public key as SPKI DER, for publishing beside checkpoints and receipts. */
export function publicKeyOf(keyring: Keyring): Buffer {
  return keyring.signingPublicKey().export({ format: 'der', type: 'spki' })
}

/**
 * The fingerprint operators publish and compare: SHA-256 (hex) of the raw 32-byte Ed25519 public
 * key. The one definition used by `keys list`, evidence packages and deletion receipts.
 *
 * @throws TypeError when `publicKeySpkiDer` is not an Ed25519 SPKI key
 */
export function publicKeyFingerprint(publicKeySpkiDer: Buffer): string {
  const raw = ed25519PublicKey(publicKeySpkiDer).export({ format: 'jwk' }).x
  return createHash('sha256').update(Buffer.from(raw ?? '', 'base64url')).digest('hex')
}

function ed25519PublicKey(der: Buffer): KeyObject {
  let key: KeyObject
  try {
    key = createPublicKey({ key: der, format: 'der', type: 'spki' })
  } catch {
    throw new TypeError('public key is not SPKI DER')
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new TypeError('public key is not an Ed25519 key')
  return key
}
