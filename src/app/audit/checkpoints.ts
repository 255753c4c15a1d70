import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../../store/schema.js'
import { noteKeyId, type CheckpointSigningKey, type CheckpointTrust } from '../../core/audit/checkpoint.js'
import { settings } from '../../store/repos/settings.js'
import { ed25519PublicKeyBytes, ed25519Signer, ed25519Verifier, sha256 } from '../../crypto/signing.js'
import type { Keyring } from '../../crypto/keyring.js'
import type { StoredCheckpoint } from '../../store/repos/checkpoints.js'

export type { StoredCheckpoint } from '../../store/repos/checkpoints.js'

const ORIGIN_KEY = 'audit.origin'

/** The log's origin as stored, without creating one (null before the first checkpoint). */
export function readOrigin(db: Kysely<Database>): Promise<string | null> {
  return settings.get(db, ORIGIN_KEY)
}

/** The log's origin line (`dialward/audit/<random id>`), created once per database. */
export function auditOrigin(db: Kysely<Database>): Promise<string> {
  return settings.putIfAbsent(db, ORIGIN_KEY, `dialward/audit/${randomBytes(8).toString('hex')}`)
}

/** A checkpoint as shown in JSON documents (proofs, evidence, receipts, the checkpoint file). */
export function checkpointView(cp: StoredCheckpoint): { size: number; root: string; time: string; note: string } {
  return { size: cp.size, root: cp.rootHex, time: new Date(cp.time).toISOString(), note: cp.note }
}

/** The signing key of checkpoints (the keyring's Ed25519 key, named by the origin). */
export function checkpointSigningKey(keyring: Keyring, origin: string): CheckpointSigningKey {
  const pub = ed25519PublicKeyBytes(keyring.signingPublicKey())
  return { name: origin, keyId: noteKeyId(sha256, origin, pub), sign: ed25519Signer(keyring.signingPrivateKey()) }
}

/** What a verifier trusts for this log: its origin and the keyring's public key. */
export function checkpointTrust(keyring: Keyring, origin: string): CheckpointTrust {
  const pub = ed25519PublicKeyBytes(keyring.signingPublicKey())
  return { origin, name: origin, keyId: noteKeyId(sha256, origin, pub), verify: ed25519Verifier(keyring.signingPublicKey()) }
}
