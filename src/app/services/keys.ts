import { FileKeyProvider } from '../../crypto/key-provider.js'
import { DialwardError } from '../../core/errors.js'
import { loadKeyring, pruneKeks, rotateKek, type Keyring } from '../../crypto/keyring.js'
import type { Executor } from '../../store/schema.js'
import type { DataKeys } from '../../store/repos/data-keys.js'
import type { settings as settingsRepo } from '../../store/repos/settings.js'
import type { SignedLog } from '../audit/signed-log.js'
import { kekUses, PRUNE_SETTING, ROTATION_SETTING, type KekUse, type KeyInventory } from '../keys/key-inventory.js'
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

/** The `keys prune --json` document. */
export interface PruneResult {
  /** KEKs destroyed by this run (removed from the keyring file). */
  readonly pruned: readonly string[]
  /** Retired KEKs kept because live data keys are still wrapped under them (run `keys rotate` first). */
  readonly kept: readonly string[]
  /** True when this run finished a prune an earlier (interrupted) run had audited. */
  readonly resumed: boolean
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

  /**
   * Destroys retired key-encryption keys no live data key is wrapped under (ADR 0014): never the
   * active KEK, never while a rotation is in progress (`KEYRING_LOCKED`: finish it with
   * `keys rotate`). Once a KEK is gone, every copy of a data key wrapped under it — in a backup
   * taken before an erase — no longer unwraps with this keyring.
   *
   * Crash-safe and resumable: the `keys.prune` entry names the KEKs and records them as pending
   * (`keys.prune.pending`) in one transaction, before the keyring file is rewritten (atomically,
   * under its lock); `keys.prune.done` clears them and changes the `keys` topic. A rerun after a
   * kill finds the pending ids and finishes the rewrite; a rerun with nothing to prune writes nothing.
   * Just before the rewrite the use of each pending KEK is counted again: one that a data key is
   * wrapped under by then (a process that had not yet seen the rotation) is kept.
   */
  async prune(ctx: RequestContext): Promise<PruneResult> {
    const { db, uow, dataKeys, settings, keyringPath } = this.#d
    const rotation = await settings.get(db, ROTATION_SETTING)
    if (rotation !== null) throw new DialwardError('KEYRING_LOCKED', `a key rotation to ${rotation} is in progress: finish it with "dialward keys rotate" before pruning`)
    removeStaleLock(`${keyringPath}.lock`)
    let keyring = loadKeyring(keyringPath)
    const pending = parseIds(await settings.get(db, PRUNE_SETTING))
    const resumed = pending !== null
    const planned =
      pending ??
      (await uow.write(ctx, 'keys.prune', async (tx) => {
        if ((await settings.get(tx.db, ROTATION_SETTING)) !== null) throw new DialwardError('KEYRING_LOCKED', 'a key rotation started: finish it with "dialward keys rotate" before pruning')
        const counts = await dataKeys.countByKek(tx.db)
        const ids = keyring.keks.filter((k) => k.state === 'retired' && (counts.get(k.id) ?? 0) === 0).map((k) => k.id)
        if (ids.length === 0) return { result: [] as string[], audit: null }
        await settings.put(tx.db, PRUNE_SETTING, JSON.stringify(ids))
        return { result: ids, audit: { subject: null, data: { keks: ids.join(','), count: ids.length, active: keyring.activeKek.id } } }
      }))
    let pruned: string[] = []
    let kept: string[] = []
    if (planned.length > 0) crashPoint('keys.prune-audited')
    // read after the plan committed (a resumed prune's plan is older than this process): a planned
    // KEK that wraps a data key again is kept; the same counts then feed the report
    const counts = await dataKeys.countByKek(db)
    if (planned.length > 0) {
      pruned = planned.filter((id) => (counts.get(id) ?? 0) === 0 && id !== keyring.activeKek.id)
      kept = planned.filter((id) => !pruned.includes(id))
      keyring = pruneKeks(keyringPath, pruned)
      await uow.write(ctx, 'keys.prune.done', async (tx) => {
        await settings.remove(tx.db, PRUNE_SETTING)
        tx.changed('keys')
        return { result: null, audit: { subject: null, data: { keks: pruned.join(','), kept: kept.join(','), resumed, remaining: keyring.keks.map((k) => k.id).join(',') } } }
      })
    }
    const inUse = keyring.keks.filter((k) => k.state === 'retired' && (counts.get(k.id) ?? 0) > 0).map((k) => k.id)
    return { pruned, kept: [...new Set([...kept, ...inUse])], resumed, keks: kekUses(keyring, counts) }
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
      prunePending: parseIds(await settings.get(db, PRUNE_SETTING)),
    }
  }
}

/** The KEK ids a pending prune recorded (`null`: none pending). */
function parseIds(text: string | null): string[] | null {
  if (text === null) return null
  const v: unknown = JSON.parse(text)
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new DialwardError('INTERNAL', `setting ${PRUNE_SETTING} is not a list of KEK ids`)
  return v as string[]
}
