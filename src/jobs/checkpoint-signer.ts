import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs'
import type { Store } from '../store/store.js'
import type { Keyring } from '../crypto/keyring.js'
import { MerkleAccumulator } from '../core/audit/merkle-accumulator.js'
import { signCheckpoint as signNote } from '../core/audit/checkpoint.js'
import { toHex } from '../core/audit/bytes.js'
import { DialwardError, isError } from '../core/errors.js'
import { MINUTE } from '../core/time/instant.js'
import { sha256 } from '../crypto/signing.js'
import { AuditLogRepo } from '../store/repos/audit-log.js'
import { checkpointsRepo, type StoredCheckpoint } from '../store/repos/checkpoints.js'
import { auditOrigin, checkpointSigningKey, checkpointView } from '../app/audit/checkpoints.js'

/** What signing needs: the store, the keyring's signing key and where the checkpoint file is. */
export interface CheckpointDeps {
  readonly store: Store
  readonly keyring: Keyring
  readonly config: { readonly checkpointPath: string }
}

/** Sign a checkpoint at least every this many new entries … */
export const CHECKPOINT_EVERY_ENTRIES = 1_000
/** … or when the newest checkpoint is older than this and new entries exist. */
export const CHECKPOINT_EVERY_MS = 5 * MINUTE

/**
 * Signs a checkpoint of the whole audit log now (when it grew since the last one). Idempotent
 * across processes: the whole step holds the audit-log lock inside one write transaction, so two
 * processes never sign the same size twice (the second finds the first's checkpoint), and the
 * checkpoint file is appended, fsynced, while the lock is held, so lines stay in size order.
 * Never signs over a stored prefix that no longer matches the previous checkpoint
 * (`AUDIT_TAMPERED`). Returns the newest checkpoint.
 */
export async function signCheckpoint(app: CheckpointDeps, now: number): Promise<StoredCheckpoint | null> {
  const { db, dialect } = app.store
  const origin = await auditOrigin(db)
  const log = new AuditLogRepo(dialect)
  return dialect.writeTransaction(async (trx) => {
    await dialect.lockAuditLog(trx)
    const last = await checkpointsRepo.latest(trx)
    const size = await log.size(trx)
    if (size === 0) return null
    if (last && last.size >= size) return last
    const acc = new MerkleAccumulator(sha256)
    const hashes = await log.leafHashes(trx)
    for (const [i, h] of hashes.entries()) {
      acc.append(h)
      if (last && i + 1 === last.size && toHex(acc.root()) !== last.rootHex) {
        throw new DialwardError('AUDIT_TAMPERED', `the stored audit log no longer matches the checkpoint for size ${last.size}: run "dialward audit verify"`)
      }
    }
    const root = acc.root()
    const time = Math.max(now, last ? last.time + 1 : now)
    const note = signNote({ origin, size: hashes.length, root, time }, checkpointSigningKey(app.keyring, origin))
    const cp: StoredCheckpoint = { size: hashes.length, rootHex: toHex(root), time, note }
    await checkpointsRepo.insert(trx, cp)
    appendCheckpointFile(app.config.checkpointPath, cp)
    return cp
  })
}

/**
 * Signs a checkpoint when at least 1,000 entries or 5 minutes have passed since the last one.
 * A log whose stored prefix no longer matches its last checkpoint is not signed over; the
 * command that just committed still succeeds, and `audit verify` reports the tampering.
 */
export async function signDueCheckpoint(app: CheckpointDeps, now: number): Promise<void> {
  const { db, dialect } = app.store
  const size = await new AuditLogRepo(dialect).size(db)
  if (size === 0) return
  const last = await checkpointsRepo.latest(db)
  const lastSize = last?.size ?? 0
  if (size <= lastSize) return
  if (size - lastSize < CHECKPOINT_EVERY_ENTRIES && last && now - last.time < CHECKPOINT_EVERY_MS) return
  try {
    await signCheckpoint(app, now)
  } catch (err) {
    if (!isError(err, 'AUDIT_TAMPERED')) throw err
  }
}

function appendCheckpointFile(path: string, cp: StoredCheckpoint): void {
  const fd = openSync(path, 'a', 0o600)
  try {
    writeSync(fd, `${JSON.stringify(checkpointView(cp))}\n`)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}
