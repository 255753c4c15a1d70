import { FileKeyProvider } from '../../crypto/key-provider.js'
import { rotateKek, type Keyring } from '../../crypto/keyring.js'
import type { Executor } from '../../store/schema.js'
import type { DataKeys } from '../../store/repos/data-keys.js'
import type { settings as settingsRepo } from '../../store/repos/settings.js'
import type { SignedLog } from '../audit/signed-log.js'
import { kekUses, ROTATION_SETTING, type KekUse, type KeyInventory } from '../keys/key-inventory.js'
import { removeStaleLock } from '../keys/stale-lock.js'
import type { RequestContext } from '../context.js'
import type { UnitOfWork } from '../unit-of-work.js'
import { crashPoint } from '../crash-points.js'

export type { KeyInventory, KekUse } from '../keys/key-inventory.js'

/** Data keys re-wrapped per transaction: small, so a crash loses little and writers are not stalled. */
export const REWRAP_BATCH = 20

/** The `keys rotate --json` document. */
export interface RotateResult {
  /** The active KEK every live data key is now wrapped under. */
  readonly kek: string
  /** True when this run finished a rotation an earlier (interrupted) run started. */
  readonly resumed: boolean
  readonly rewrapped: number
  readonly keks: readonly KekUse[]
}

/** What the keys service is built from. */
export interface KeysServiceDeps {
  readonly db: Executor
  readonly uow: UnitOfWork
  readonly dataKeys: DataKeys
  readonly settings: typeof settingsRepo
  /** The keyring as loaded when the process started, and its file. */
  readonly keyring: Keyring
  readonly keyringPath: string
  readonly log: SignedLog
  readonly clock: () => number
}

/** Key management: rotation of the key-encryption key, and the key inventory (never key bytes). */
export class KeysService {
  readonly #d: KeysServiceDeps

  constructor(deps: KeysServiceDeps) {
    this.#d = deps
  }

  /**
   * Rotates the key-encryption key: adds a new active KEK to the keyring file (the old ones stay,
   * retired, and still unwrap), then re-wraps every live data key under it without re-encrypting
   * any data, `REWRAP_BATCH` keys per unit of work, each batch audited (`keys.rewrap`) and
   * changing the `keys` topic.
   *
   * Crash-safe and resumable: the keyring file is replaced atomically; each data key row changes
   * from (old KEK, old wrap) to (new KEK, new wrap) in one committed update, so at every instant it
   * unwraps under the KEK it names, and both KEKs are in the keyring. The target KEK is recorded in
   * `settings` (`keys.rotation.target`) with the `keys.rotate.start` audit entry; a rerun after a
   * kill finds it and resumes instead of adding another KEK. A lock file left by a killed rotation
   * (its pid no longer running) is removed.
   */
  async rotate(ctx: RequestContext): Promise<RotateResult> {
    const { db, uow, dataKeys, settings, keyringPath } = this.#d
    const pending = await settings.get(db, ROTATION_SETTING)
    let keyring = this.#d.keyring
    const resumed = pending !== null && pending === keyring.activeKek.id
    if (!resumed) {
      removeStaleLock(`${keyringPath}.lock`)
      const previous = keyring.activeKek.id
      keyring = rotateKek(keyringPath, new Date(this.#d.clock()))
      crashPoint('keys.keyring-written')
      const started = keyring.activeKek
      await uow.write(ctx, 'keys.rotate.start', async (tx) => {
        await settings.put(tx.db, ROTATION_SETTING, started.id)
        return { result: null, audit: { subject: null, data: { kek: started.id, previous, alg: started.alg } } }
      })
    }
    const provider = new FileKeyProvider(keyring)
    const target = provider.activeKekId()
    let count = 0
    for (;;) {
      const moved = await uow.write(ctx, 'keys.rewrap', async (tx) => {
        const batch = await dataKeys.rewrap(tx.db, provider, REWRAP_BATCH)
        if (batch.length === 0) return { result: 0, audit: null }
        for (let i = 0; i < batch.length; i++) crashPoint('keys.rewrapped')
        tx.changed('keys')
        const from = [...new Set(batch.map((k) => k.from))].sort().join(',')
        return { result: batch.length, audit: { subject: null, data: { kek: target, count: batch.length, from, firstKey: batch[0]!.id, lastKey: batch.at(-1)!.id } } }
      })
      if (moved === 0) break
      count += moved
    }
    const counts = await dataKeys.countByKek(db)
    await uow.write(ctx, 'keys.rotate.done', async (tx) => {
      await settings.remove(tx.db, ROTATION_SETTING)
      return { result: null, audit: { subject: null, data: { kek: target, rewrapped: count, resumed, liveDataKeys: counts.get(target) ?? 0 } } }
    })
    return { kek: target, resumed, rewrapped: count, keks: kekUses(keyring, counts) }
  }

  /** The key inventory: KEK ids, algorithms, states and use; the blind-index and signing key metadata; the public signing key to publish. */
  async list(_ctx: RequestContext): Promise<KeyInventory> {
    const { db, dataKeys, settings, keyring, keyringPath, log } = this.#d
    return {
      keyring: keyringPath,
      keks: kekUses(keyring, await dataKeys.countByKek(db)),
      blindIndex: keyring.blindIndexKeyMeta,
      signing: { ...keyring.signingKeyMeta, ...log.publicKey, publicKeyPem: keyring.signingPublicKey().export({ format: 'pem', type: 'spki' }).toString() },
      rotationInProgress: await settings.get(db, ROTATION_SETTING),
    }
  }
}
