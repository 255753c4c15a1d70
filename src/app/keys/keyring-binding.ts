import { randomBytes } from 'node:crypto'
import { DialwardError } from '../../core/errors.js'
import type { Keyring } from '../../crypto/keyring.js'
import { fingerprintProblems, keyringFingerprints, parseFingerprints, stableKeysDigest, type KeyringFingerprints } from '../../crypto/key-fingerprints.js'
import type { Executor } from '../../store/schema.js'
import { settings } from '../../store/repos/settings.js'

/** Settings key of the fingerprints a database is bound to (JSON, see `crypto/key-fingerprints.ts`). */
export const FINGERPRINTS_SETTING = 'keyring.fingerprints'
/** The older binding: the blind-index key id only (databases initialized before fingerprints). */
export const LEGACY_BINDING = 'keyring.blind_index_key_id'
const ORIGIN_SETTING = 'audit.origin'
const ORIGIN_KEYS = /\/keys-([0-9a-f]{32})$/

/** Whether a database was ever bound to a keyring (an empty one never was). */
export async function isBound(ex: Executor): Promise<boolean> {
  return (await settings.get(ex, LEGACY_BINDING)) !== null
}

/** The fingerprints a database is bound to (`null`: never bound, or bound before fingerprints). */
export async function boundFingerprints(ex: Executor): Promise<KeyringFingerprints | null> {
  return parseFingerprints(await settings.get(ex, FINGERPRINTS_SETTING))
}

/**
 * Binds an empty database to a keyring, inside the caller's transaction: the fingerprint of every
 * key (settings), and the audit log's origin, which names the digest of the blind-index and
 * signing keys, so every signed checkpoint binds them too (`dialward/audit/<id>/keys-<digest>`).
 */
export async function bindKeyring(ex: Executor, keyring: Keyring): Promise<void> {
  const f = keyringFingerprints(keyring)
  await settings.put(ex, FINGERPRINTS_SETTING, JSON.stringify(f))
  await settings.put(ex, LEGACY_BINDING, keyring.blindIndexKeyId)
  await settings.putIfAbsent(ex, ORIGIN_SETTING, `dialward/audit/${randomBytes(8).toString('hex')}/keys-${stableKeysDigest(f)}`)
}

/**
 * What is wrong with a keyring for a bound database (empty when it belongs): another keyring, a
 * blind-index or signing key whose bytes changed under the same id, a KEK whose bytes changed, or
 * keys that no longer match the digest the audit origin (and so every checkpoint) names.
 */
export async function bindingProblems(ex: Executor, keyring: Keyring): Promise<string[]> {
  const legacy = await settings.get(ex, LEGACY_BINDING)
  if (legacy !== null && legacy !== keyring.blindIndexKeyId) return ['the keyring does not belong to this database']
  const actual = keyringFingerprints(keyring)
  const problems: string[] = []
  const bound = await boundFingerprints(ex)
  if (bound) problems.push(...fingerprintProblems(bound, actual))
  const origin = await settings.get(ex, ORIGIN_SETTING)
  const named = origin === null ? null : ORIGIN_KEYS.exec(origin)?.[1]
  if (named && named !== stableKeysDigest(actual)) problems.push('the blind-index or signing key is not the one the signed checkpoints name')
  return problems
}

/** Throws `KEYRING_MISMATCH` unless the keyring belongs to the database. */
export async function requireBinding(ex: Executor, keyring: Keyring): Promise<void> {
  const problems = await bindingProblems(ex, keyring)
  if (problems.length > 0) throw new DialwardError('KEYRING_MISMATCH', `the keyring does not belong to this database: ${problems.join('; ')}; refusing to continue`)
}

/**
 * Records the fingerprints of KEKs the keyring holds and the binding lacks (added by a rotation,
 * possibly in another process), and forgets those that are gone from the keyring (pruned); for a
 * database bound before fingerprints, records every fingerprint (its blind-index key id matched).
 * Writes only when something changed. Call after `requireBinding`.
 */
export async function refreshBinding(ex: Executor, keyring: Keyring): Promise<void> {
  const actual = keyringFingerprints(keyring)
  const bound = await boundFingerprints(ex)
  if (bound && sameKeks(bound, actual)) return
  const keks = bound ? [...bound.keks.filter((k) => actual.keks.some((a) => a.id === k.id)), ...actual.keks.filter((a) => !bound.keks.some((k) => k.id === a.id))] : actual.keks
  await settings.put(ex, FINGERPRINTS_SETTING, JSON.stringify({ ...actual, keks }))
}

/** Whether `refreshBinding` has something to record (checked outside a transaction: opening writes nothing when the binding is current). */
export async function bindingStale(ex: Executor, keyring: Keyring): Promise<boolean> {
  const bound = await boundFingerprints(ex)
  return !(bound && sameKeks(bound, keyringFingerprints(keyring)))
}

function sameKeks(a: KeyringFingerprints, b: KeyringFingerprints): boolean {
  return a.keks.length === b.keks.length && a.keks.every((k) => b.keks.some((x) => x.id === k.id && x.sha256 === k.sha256))
}
