import { createHash, type KeyObject } from 'node:crypto'
import type { Keyring } from './keyring.js'

/** One key's id and fingerprint (SHA-256 over a domain tag, the id and the key bytes; never the key itself). */
export interface KeyFingerprint {
  readonly id: string
  readonly sha256: string
}

/** The fingerprints of a keyring: what `init` binds a database to (settings `keyring.fingerprints`). */
export interface KeyringFingerprints {
  readonly blindIndex: KeyFingerprint
  readonly signing: KeyFingerprint
  readonly keks: readonly KeyFingerprint[]
}

const DOMAIN = 'dialward.key-fingerprint.v1'

function fingerprint(kind: string, id: string, bytes: Buffer): KeyFingerprint {
  return { id, sha256: createHash('sha256').update(`${DOMAIN}\0${kind}\0${id}\0`).update(bytes).digest('hex') }
}

const secretBytes = (k: KeyObject): Buffer => k.export()

/** The fingerprint of every key of a keyring (KEKs in file order). */
export function keyringFingerprints(keyring: Keyring): KeyringFingerprints {
  return {
    blindIndex: fingerprint('blind-index', keyring.blindIndexKeyId, secretBytes(keyring.blindIndexKey())),
    signing: fingerprint('signing', keyring.signingKeyId, keyring.signingPublicKey().export({ format: 'der', type: 'spki' })),
    keks: keyring.keks.map((k) => fingerprint('kek', k.id, secretBytes(keyring.kekKey(k.id)!))),
  }
}

/**
 * The digest of the keys that never change for a database (blind index and signing key), 32 hex
 * characters: it is part of the audit log's origin, so every signed checkpoint names it.
 */
export function stableKeysDigest(f: KeyringFingerprints): string {
  return createHash('sha256').update(`${DOMAIN}\0stable\0${f.blindIndex.id}\0${f.blindIndex.sha256}\0${f.signing.id}\0${f.signing.sha256}`).digest('hex').slice(0, 32)
}

/**
 * What differs between the fingerprints a database is bound to and a keyring's: a different
 * blind-index or signing key (id or bytes), or a KEK whose bytes changed under the same id. KEKs
 * the keyring has and the binding lacks are new (added by a rotation) and KEKs the binding lists
 * and the keyring lacks were pruned: neither is a problem here (a data key under a missing KEK
 * fails closed when it is unwrapped). Returns one line per problem, empty when they match.
 */
export function fingerprintProblems(bound: KeyringFingerprints, actual: KeyringFingerprints): string[] {
  const problems: string[] = []
  if (bound.blindIndex.id !== actual.blindIndex.id || bound.blindIndex.sha256 !== actual.blindIndex.sha256) problems.push(`the blind-index key ${actual.blindIndex.id} is not the key ${bound.blindIndex.id} the database was initialized with`)
  if (bound.signing.id !== actual.signing.id || bound.signing.sha256 !== actual.signing.sha256) problems.push(`the signing key ${actual.signing.id} is not the key ${bound.signing.id} the database was initialized with`)
  const keks = new Map(actual.keks.map((k) => [k.id, k.sha256]))
  for (const k of bound.keks) {
    const now = keks.get(k.id)
    if (now !== undefined && now !== k.sha256) problems.push(`the bytes of key-encryption key ${k.id} changed`)
  }
  return problems
}

/** Parses a stored binding; `null` when it is not one. */
export function parseFingerprints(text: string | null): KeyringFingerprints | null {
  if (text === null) return null
  try {
    const v = JSON.parse(text) as KeyringFingerprints
    const ok = (f: unknown): f is KeyFingerprint => typeof f === 'object' && f !== null && typeof (f as KeyFingerprint).id === 'string' && /^[0-9a-f]{64}$/.test(String((f as KeyFingerprint).sha256))
    if (!ok(v.blindIndex) || !ok(v.signing) || !Array.isArray(v.keks) || !v.keks.every(ok)) return null
    return { blindIndex: v.blindIndex, signing: v.signing, keks: v.keks }
  } catch {
    return null
  }
}
