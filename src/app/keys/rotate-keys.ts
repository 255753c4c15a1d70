import { readFileSync, unlinkSync } from 'node:fs'
import type { App } from '../open-app.js'
import { DialwardError } from '../../core/errors.js'
import { FileKeyProvider, type KeyProvider } from '../../crypto/key-provider.js'
import { rotateKek, type Keyring } from '../../crypto/keyring.js'
import { writeTransaction } from '../../store/write-transaction.js'
import { appendAudit } from '../audit/audit-trail.js'
import { dataKeyAad } from '../../store/repos/data-keys.js'
import { dataKeysPerKek, kekUses, ROTATION_SETTING, type KekUse } from './key-inventory.js'

/** Data keys re-wrapped per transaction: small, so a crash loses little and writers are not stalled. */
export const REWRAP_BATCH = 20

/** Options of a rotation. */
export interface RotateOptions {
  /** Called after each data key is re-wrapped (before its transaction commits), with the count so far. Tests use it to crash. */
  readonly onRewrap?: (count: number) => void
}

/** The `keys rotate --json` document. */
export interface RotateResult {
  /** The active KEK every live data key is now wrapped under. */
  readonly kek: string
  /** True when this run finished a rotation an earlier (interrupted) run started. */
  readonly resumed: boolean
  readonly rewrapped: number
  readonly keks: readonly KekUse[]
}

/**
 * Rotates the key-encryption key: adds a new active KEK to the keyring file (the old ones stay,
 * retired, and still unwrap), then re-wraps every live data key under it without re-encrypting
 * any data, `REWRAP_BATCH` keys per transaction, each batch audited (`keys.rewrap`).
 *
 * Crash-safe and resumable: the keyring file is replaced atomically; each data key row changes
 * from (old KEK, old wrap) to (new KEK, new wrap) in one committed update, so at every instant it
 * unwraps under the KEK it names, and both KEKs are in the keyring. The target KEK is recorded in
 * `settings` (`keys.rotation.target`) with the `keys.rotate.start` audit entry; a rerun after a
 * kill finds it and resumes instead of adding another KEK. A lock file left by a killed rotation
 * (its pid no longer running) is removed.
 */
export async function rotateKeys(app: App, options: RotateOptions = {}): Promise<RotateResult> {
  const pending = await app.db.selectFrom('settings').select('value').where('key', '=', ROTATION_SETTING).executeTakeFirst()
  let keyring: Keyring = app.keyring
  const resumed = pending !== undefined && pending.value === keyring.activeKek.id
  if (!resumed) {
    removeStaleLock(`${app.config.keyringPath}.lock`)
    const previous = keyring.activeKek.id
    keyring = rotateKek(app.config.keyringPath, new Date(app.now()))
    const target = keyring.activeKek.id
    await writeTransaction(app.db, app.dialect, async (trx) => {
      await trx.deleteFrom('settings').where('key', '=', ROTATION_SETTING).execute()
      await trx.insertInto('settings').values({ key: ROTATION_SETTING, value: target }).execute()
      await appendAudit(trx, app.dialect, app.config.actor, app.now(), { action: 'keys.rotate.start', subject: null, data: { kek: target, previous, alg: keyring.activeKek.alg } })
    })
  }
  const provider: KeyProvider = new FileKeyProvider(keyring)
  const target = provider.activeKekId()
  let count = 0
  for (;;) {
    const done = await writeTransaction(app.db, app.dialect, async (trx) => {
      const rows = await trx
        .selectFrom('data_keys')
        .select(['id', 'kek_id', 'alg', 'wrapped'])
        .where('kek_id', '!=', target)
        .where('wrapped', 'is not', null)
        .orderBy('id')
        .limit(REWRAP_BATCH)
        .execute()
      if (rows.length === 0) return true
      const from = new Set<string>()
      for (const r of rows) {
        let dek: Buffer
        try {
          dek = provider.unwrap({ kekId: r.kek_id, alg: r.alg, blob: Buffer.from(r.wrapped!) }, dataKeyAad(r.id))
        } catch (err) {
          throw new DialwardError('KEY_UNAVAILABLE', `data key ${r.id} does not unwrap under KEK ${r.kek_id}: ${err instanceof Error ? err.message : String(err)}`)
        }
        const w = provider.wrap(dek, dataKeyAad(r.id))
        dek.fill(0)
        await trx.updateTable('data_keys').set({ kek_id: w.kekId, alg: w.alg, wrapped: w.blob }).where('id', '=', r.id).where('kek_id', '=', r.kek_id).execute()
        from.add(r.kek_id)
        count++
        options.onRewrap?.(count)
      }
      await appendAudit(trx, app.dialect, app.config.actor, app.now(), {
        action: 'keys.rewrap',
        subject: null,
        data: { kek: target, count: rows.length, from: [...from].sort().join(','), firstKey: rows[0]!.id, lastKey: rows.at(-1)!.id },
      })
      return false
    })
    if (done) break
  }
  const counts = await dataKeysPerKek(app)
  await writeTransaction(app.db, app.dialect, async (trx) => {
    await trx.deleteFrom('settings').where('key', '=', ROTATION_SETTING).execute()
    await appendAudit(trx, app.dialect, app.config.actor, app.now(), {
      action: 'keys.rotate.done',
      subject: null,
      data: { kek: target, rewrapped: count, resumed, liveDataKeys: counts.get(target) ?? 0 },
    })
  })
  return { kek: target, resumed, rewrapped: count, keks: kekUses(keyring, counts) }
}

/** Removes `<keyring>.lock` when the process that wrote it is gone (a rotation killed mid-write). */
function removeStaleLock(lockPath: string): void {
  let pid: number
  try {
    pid = Number(readFileSync(lockPath, 'utf8').trim())
  } catch {
    return
  }
  if (Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid) {
    try {
      process.kill(pid, 0)
      return // still running: rotateKek reports the lock
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EPERM') return
    }
  }
  try {
    unlinkSync(lockPath)
  } catch {
    // gone already
  }
}
