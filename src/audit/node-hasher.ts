/**
 * node:crypto adapters for the pure audit core: the SHA-256 `Hasher`, and Ed25519 `Signer` /
 * `Verifier` over `KeyObject`s (the keyring in src/crypto owns where keys come from).
 */
import { hash, sign, verify, type KeyObject } from 'node:crypto'
import type { Signer, Verifier } from '../core/audit/checkpoint.js'
import type { Hasher } from '../core/audit/hasher.js'

/** SHA-256 via node:crypto. */
export const sha256: Hasher = (data) => new Uint8Array(hash('sha256', data, 'buffer'))

function requireEd25519(key: KeyObject, type: 'private' | 'public'): void {
  if (key.type !== type || key.asymmetricKeyType !== 'ed25519') {
    throw new TypeError(`expected an Ed25519 ${type} key, got ${key.asymmetricKeyType ?? key.type} ${key.type}`)
  }
}

/**
 * An Ed25519 `Signer` for checkpoints.
 *
 * @throws TypeError when `privateKey` is not an Ed25519 private key
 */
export function ed25519Signer(privateKey: KeyObject): Signer {
  requireEd25519(privateKey, 'private')
  return (bytes) => new Uint8Array(sign(null, bytes, privateKey))
}

/**
 * An Ed25519 `Verifier` for checkpoints; returns false (never throws) for malformed signatures.
 *
 * @throws TypeError when `publicKey` is not an Ed25519 public key
 */
export function ed25519Verifier(publicKey: KeyObject): Verifier {
  requireEd25519(publicKey, 'public')
  return (bytes, signature) => {
    if (signature.length !== 64) return false
    try {
      return verify(null, bytes, publicKey, signature)
    } catch {
      return false
    }
  }
}

/**
 * The raw 32-byte Ed25519 public key (for `noteKeyId`).
 *
 * @throws TypeError when `publicKey` is not an Ed25519 public key
 */
export function ed25519PublicKeyBytes(publicKey: KeyObject): Uint8Array {
  requireEd25519(publicKey, 'public')
  const jwk = publicKey.export({ format: 'jwk' })
  return new Uint8Array(Buffer.from(jwk.x ?? '', 'base64url'))
}
