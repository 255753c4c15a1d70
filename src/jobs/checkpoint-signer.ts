import { MerkleAccumulator } from '../core/audit/merkle-accumulator.js'
import { signCheckpoint as signNote, verifyCheckpoint } from '../core/audit/checkpoint.js'
import { toHex } from '../core/audit/bytes.js'
import { DialwardError, isError } from '../core/errors.js'
import { MINUTE } from '../core/time/instant.js'
import { sha256 } from '../crypto/signing.js'
import type { Keyring } from '../crypto/keyring.js'
import type { Store } from '../store/store.js'
import { AuditLogRepo } from '../store/repos/audit-log.js'
import { checkpointsRepo, type StoredCheckpoint } from '../store/repos/checkpoints.js'
import { auditOrigin, checkpointSigningKey, checkpointTrust, checkpointView } from '../app/audit/checkpoints.js'
import { appendCheckpointLine, checkpointFileTail } from '../app/audit/checkpoint-file.js'

/** Sign a checkpoint at least every this many new entries … */
export const CHECKPOINT_EVERY_ENTRIES = 1_000
/** … or when the newest checkpoint is older than this and new entries exist. */
export const CHECKPOINT_EVERY_MS = 5 * MINUTE

/** What the signer works on: the store, the keyring's signing key and the checkpoint file (the infrastructure provides all three). */
export interface CheckpointSignerDeps {
  readonly store: Store
  readonly keyring: Keyring
  readonly config: { readonly checkpointPath: string }
}

/**
 * Signs a checkpoint of the whole audit log now (when it grew since the last one) and returns the
 * newest checkpoint. Idempotent across processes: the whole step runs in one write transaction
 * holding the audit-log lock, so signers (and appends) are serialized on both engines; a second
 * process finds the first one's checkpoint and returns it, and a checkpoint of a size already
 * stored is never inserted twice. The checkpoint file is appended (fsynced) under the same lock,
 * and only with a size larger than its last line, so its lines stay in strictly increasing size
 * order. A line written by a run that crashed before its commit is adopted (the same signed note
 * is stored) rather than signed again. Never signs over a stored prefix that no longer matches
 * the previous checkpoint, nor behind a checkpoint file that is ahead of the database
 * (`AUDIT_TAMPERED`).
 */
export async function signCheckpoint(deps: CheckpointSignerDeps, now: number): Promise<StoredCheckpoint | null> {
  const { store, keyring } = deps
  const path = deps.config.checkpointPath
  const log = new AuditLogRepo(store.dialect)
  const origin = await auditOrigin(store.db)
  return store.dialect.writeTransaction(async (trx) => {
    await store.dialect.lockAuditLog(trx)
    const last = await checkpointsRepo.latest(trx)
    const size = await log.size(trx)
    if (size === 0) return null
    if (last && last.size >= size) return last
    const acc = new MerkleAccumulator(sha256)
    const hashes = await log.leafHashes(trx)
    const tail = checkpointFileTail(path)
    for (const [i, h] of hashes.entries()) {
      acc.append(h)
      if (last && i + 1 === last.size && toHex(acc.root()) !== last.rootHex) {
        throw new DialwardError('AUDIT_TAMPERED', `the stored audit log no longer matches the checkpoint for size ${last.size}: run "dialward audit verify"`)
      }
      // never fork the file: a database rolled back and grown past its last line is not signed over
      if (tail && i + 1 === tail.size && i + 1 < hashes.length && toHex(acc.root()) !== tail.root) {
        throw new DialwardError('AUDIT_TAMPERED', `the stored audit log no longer matches the checkpoint file ${path} at size ${tail.size}: refusing to sign a checkpoint that forks it`)
      }
    }
    const rootHex = toHex(acc.root())
    let cp: StoredCheckpoint
    if (tail !== null && tail.size === hashes.length && tail.root === rootHex && verifyCheckpoint(tail.note, checkpointTrust(keyring, origin)).ok) {
      cp = { size: tail.size, rootHex, time: Date.parse(tail.time), note: tail.note }
    } else if (tail !== null && tail.size >= hashes.length) {
      throw new DialwardError('AUDIT_TAMPERED', `the checkpoint file ${path} holds a checkpoint for size ${tail.size} that the database's ${hashes.length} entries do not match: run "dialward audit verify --checkpoints ${path}"`)
    } else {
      const time = Math.max(now, last ? last.time + 1 : now, tail ? Date.parse(tail.time) + 1 : now)
      const note = signNote({ origin, size: hashes.length, root: acc.root(), time }, checkpointSigningKey(keyring, origin))
      cp = { size: hashes.length, rootHex, time, note }
      appendCheckpointLine(path, checkpointView(cp))
    }
    await checkpointsRepo.insert(trx, cp)
    return cp
  })
}

/**
 * Signs a checkpoint when at least 1,000 entries or 5 minutes have passed since the last one:
 * run after every command and on a timer beside requests. It never fails the command it follows
 * (whose own write has committed): a log that no longer matches its last checkpoint is not signed
 * over (`audit verify` reports it), and any other failure is passed to `onError` and retried by
 * the next run.
 */
export async function signDueCheckpoint(deps: CheckpointSignerDeps, now: number, onError: (err: unknown) => void = () => undefined): Promise<void> {
  try {
    const size = await new AuditLogRepo(deps.store.dialect).size(deps.store.db)
    if (size === 0) return
    const last = await checkpointsRepo.latest(deps.store.db)
    const lastSize = last?.size ?? 0
    if (size <= lastSize) return
    if (size - lastSize < CHECKPOINT_EVERY_ENTRIES && last && now - last.time < CHECKPOINT_EVERY_MS) return
    await signCheckpoint(deps, now)
  } catch (err) {
    if (!isError(err, 'AUDIT_TAMPERED')) onError(err)
  }
}
