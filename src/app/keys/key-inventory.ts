import type { Keyring, KeyMeta } from '../../crypto/keyring.js'
import type { PublicKeyView } from '../audit/signed-log.js'

/** One KEK and how many live (not destroyed) data keys it wraps. */
export interface KekUse {
  readonly id: string
  readonly alg: string
  readonly state: string
  readonly createdAt: string
  readonly dataKeys: number
}

/** The `keys list --json` document: key ids, algorithms and states (never key bytes), and the public signing key to publish. */
export interface KeyInventory {
  readonly keyring: string
  readonly keks: readonly KekUse[]
  readonly blindIndex: KeyMeta<'HS256'>
  readonly signing: KeyMeta<'Ed25519'> & PublicKeyView & { readonly publicKeyPem: string }
  /** The KEK an unfinished rotation re-wraps data keys under, or `null`. */
  readonly rotationInProgress: string | null
  /** KEKs an interrupted `keys prune` audited and has not removed from the keyring yet (rerun `keys prune`), or `null`. */
  readonly prunePending: readonly string[] | null
}

/** Settings key naming the KEK an unfinished rotation re-wraps data keys under. */
export const ROTATION_SETTING = 'keys.rotation.target'

/** Settings key naming the KEKs an unfinished prune is destroying (JSON array of ids). */
export const PRUNE_SETTING = 'keys.prune.pending'

/** Every KEK of `keyring` with its use; KEK ids referenced by data keys but absent from the keyring are listed as `missing`. */
export function kekUses(keyring: Keyring, counts: ReadonlyMap<string, number>): KekUse[] {
  const out: KekUse[] = keyring.keks.map((k) => ({ id: k.id, alg: k.alg, state: k.state, createdAt: k.createdAt, dataKeys: counts.get(k.id) ?? 0 }))
  for (const [id, n] of counts) if (!keyring.kekKey(id)) out.push({ id, alg: 'unknown', state: 'missing', createdAt: '', dataKeys: n })
  return out
}
