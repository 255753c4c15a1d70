/**
 * The one signing and hashing API: SHA-256 for the audit core's `Hasher`, Ed25519 `Signer` and
 * `Verifier` over `KeyObject`s for checkpoints, receipts and evidence manifests, and the public-key
 * forms operators publish (SPKI DER and its fingerprint). The keyring owns where keys come from.
 */
import { createHash, createPublicKey, hash, sign as edSign, verify as edVerify, type KeyObject } from 'node:crypto'
import type { Signer, Verifier } from '../core/audit/checkpoint.js'
import type { Hasher } from '../core/audit/hasher.js'
import type { Keyring } from './keyring.js'

const SIGNATURE_BYTES = 64

/** SHA-256 via node:crypto. */
export const sha256: Hasher = (data) => new Uint8Array(hash('sha256', data, 'buffer'))

function requireEd25519(key: KeyObject, type: 'private' | 'public'): void {
  if (key.type !== type || key.asymmetricKeyType !== 'ed25519') {
    throw new TypeError(`expected an Ed25519 ${type} key, got ${key.asymmetricKeyType ?? key.type} ${key.type}`)
  }
}

/**
 * An Ed25519 `Signer` (64-byte deterministic signatures).
 *
 * @throws TypeError when `privateKey` is not an Ed25519 private key
 */
export function ed25519Signer(privateKey: KeyObject): Signer {
  requireEd25519(privateKey, 'private')
  return (bytes) => new Uint8Array(edSign(null, bytes, privateKey))
}

/**
 * An Ed25519 `Verifier`; returns false (never throws) for wrong or malformed signatures.
 *
 * @throws TypeError when `publicKey` is not an Ed25519 public key
 */
export function ed25519Verifier(publicKey: KeyObject): Verifier {
  requireEd25519(publicKey, 'public')
  return (bytes, signature) => {
    if (signature.length !== SIGNATURE_BYTES) return false
    try {
      return edVerify(null, bytes, publicKey, signature)
    } catch {
      return false
    }
  }
}

/**
 * The raw 32-byte Ed25519 public key (for `noteKeyId` and fingerprints).
 *
 * @throws TypeError when `publicKey` is not an Ed25519 public key
 */
export function ed25519PublicKeyBytes(publicKey: KeyObject): Uint8Array {
  requireEd25519(publicKey, 'public')
  const jwk = publicKey.export({ format: 'jwk' })
  return new Uint8Array(Buffer.from(jwk.x ?? '', 'base64url'))
}

/** Signs `bytes` with the keyring's signing key (Ed25519, 64 bytes). */
export function sign(keyring: Keyring, bytes: Uint8Array): Buffer {
  return Buffer.from(ed25519Signer(keyring.signingPrivateKey())(bytes))
}

/**
 * Verifies an Ed25519 signature against a public key given as SPKI DER. Returns `false` for a
 * wrong or malformed signature; throws a `TypeError` when the key is not Ed25519 SPKI (a
 * configuration error, not a forgery), so a wrong key type can never verify.
 */
export function verify(publicKeySpkiDer: Buffer, bytes: Uint8Array, sig: Uint8Array): boolean {
  return ed25519Verifier(publicKeyFromSpki(publicKeySpkiDer))(bytes, sig)
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
  return createHash('sha256').update(ed25519PublicKeyBytes(publicKeyFromSpki(publicKeySpkiDer))).digest('hex')
}

/**
 * Parses an Ed25519 public key from SPKI DER.
 *
 * @throws TypeError when the bytes are not SPKI DER of an Ed25519 key
 */
export function publicKeyFromSpki(der: Buffer): KeyObject {
  let key: KeyObject
  try {
    key = createPublicKey({ key: der, format: 'der', type: 'spki' })
  } catch {
    throw new TypeError('public key is not SPKI DER')
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new TypeError('public key is not an Ed25519 key')
  return key
}
