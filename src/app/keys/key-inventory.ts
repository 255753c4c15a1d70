import type { App } from '../open-app.js'
import type { Keyring } from '../../crypto/keyring.js'
import { publicKeyView } from '../audit/audit-proof.js'

/** One KEK and how many live (not destroyed) data keys it wraps. */
export interface KekUse {
  readonly id: string
  readonly alg: string
  readonly state: string
  readonly createdAt: string
  readonly dataKeys: number
}

/** Live data keys per KEK id (destroyed keys hold no wrapped bytes and count for nothing). */
export async function dataKeysPerKek(app: App): Promise<Map<string, number>> {
  const rows = await app.db
    .selectFrom('data_keys')
    .select(['kek_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('wrapped', 'is not', null)
    .groupBy('kek_id')
    .execute()
  return new Map(rows.map((r) => [r.kek_id, Number(r.n)]))
}

/** Every KEK of `keyring` with its use; KEK ids referenced by data keys but absent from the keyring are listed as `missing`. */
export function kekUses(keyring: Keyring, counts: ReadonlyMap<string, number>): KekUse[] {
  const out: KekUse[] = keyring.keks.map((k) => ({ id: k.id, alg: k.alg, state: k.state, createdAt: k.createdAt, dataKeys: counts.get(k.id) ?? 0 }))
  for (const [id, n] of counts) if (!keyring.kekKey(id)) out.push({ id, alg: 'unknown', state: 'missing', createdAt: '', dataKeys: n })
  return out
}

/** The `keys list --json` document: key ids, algorithms and states (never key bytes), and the public signing key to publish. */
export async function keyInventory(app: App): Promise<Record<string, unknown>> {
  const pending = await app.db.selectFrom('settings').select('value').where('key', '=', ROTATION_SETTING).executeTakeFirst()
  return {
    keyring: app.config.keyringPath,
    keks: kekUses(app.keyring, await dataKeysPerKek(app)),
    blindIndex: app.keyring.blindIndexKeyMeta,
    signing: { ...app.keyring.signingKeyMeta, ...publicKeyView(app), publicKeyPem: app.keyring.signingPublicKey().export({ format: 'pem', type: 'spki' }).toString() },
    rotationInProgress: pending?.value ?? null,
  }
}

/** Settings key naming the KEK an unfinished rotation re-wraps data keys under. */
export const ROTATION_SETTING = 'keys.rotation.target'
