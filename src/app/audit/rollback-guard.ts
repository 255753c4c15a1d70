import { existsSync } from 'node:fs'
import { DialwardError } from '../../core/errors.js'
import { parseCheckpoint } from '../../core/audit/checkpoint.js'
import { MerkleAccumulator } from '../../core/audit/merkle-accumulator.js'
import { toHex } from '../../core/audit/bytes.js'
import { sha256 } from '../../crypto/signing.js'
import type { Executor } from '../../store/schema.js'
import type { AuditLogRepo } from '../../store/repos/audit-log.js'
import { checkpointsRepo } from '../../store/repos/checkpoints.js'
import { settings } from '../../store/repos/settings.js'
import { checkpointFileTail } from './checkpoint-file.js'

/**
 * Refuses a database that is behind the data directory's checkpoint file (ADR 0011): restored from
 * an older copy, truncated, rewritten, or replaced by another database, and a checkpoint file that
 * is missing although the database has signed checkpoints. Cheap enough for every command: it
 * reads the file's last line and one stored checkpoint (the whole log only when the database
 * lacks the row of that checkpoint, which a signer killed at the wrong moment can leave).
 */
export async function requireNotRolledBack(ex: Executor, auditLog: AuditLogRepo, checkpointPath: string): Promise<void> {
  // The order of the reads matters, because other processes append and sign while this runs. A
  // signer appends a line for entries already committed, then commits its checkpoint row. So a
  // stored checkpoint read *before* the file is already in the file, and the entry count read
  // *after* the file covers its last line. Read the other way round, a process that signed
  // between the two reads made a sound database look rolled back.
  const latest = await checkpointsRepo.latest(ex)
  if (!existsSync(checkpointPath)) {
    if (latest !== null) throw rolledBack(`the checkpoint file ${checkpointPath} is missing although the database has signed checkpoints up to size ${latest.size}: restore it from its off-machine copy`)
    return
  }
  const tail = checkpointFileTail(checkpointPath)
  if (tail === null) {
    if (latest !== null) throw rolledBack(`the checkpoint file ${checkpointPath} is empty although the database has signed checkpoints up to size ${latest.size}: restore it from its off-machine copy`)
    return
  }
  const origin = await settings.get(ex, 'audit.origin')
  const parsed = parseCheckpoint(tail.note)
  if (parsed.ok && origin !== null && parsed.value.checkpoint.origin !== origin) {
    throw rolledBack(`the checkpoint file ${checkpointPath} belongs to another audit log (${parsed.value.checkpoint.origin}): the database was replaced`)
  }
  const size = await auditLog.size(ex)
  if (size < tail.size) {
    throw rolledBack(`the database holds ${size} audit entries but the checkpoint file ${checkpointPath} was signed at ${tail.size}: it was restored from an older copy or truncated`)
  }
  const stored = (await checkpointsRepo.list(ex)).find((c) => c.size === tail.size)
  const root = stored ? stored.rootHex : await prefixRoot(ex, auditLog, tail.size)
  if (root !== tail.root) throw rolledBack(`the database's audit log differs from the checkpoint file ${checkpointPath} at size ${tail.size}: it was rewritten or restored from another copy`)
}

async function prefixRoot(ex: Executor, auditLog: AuditLogRepo, size: number): Promise<string> {
  const acc = new MerkleAccumulator(sha256)
  for (const h of (await auditLog.leafHashes(ex)).slice(0, size)) acc.append(h)
  return toHex(acc.root())
}

function rolledBack(problem: string): DialwardError {
  return new DialwardError('STORE_ROLLED_BACK', `${problem}; refusing to continue (restore the newest backup, or accept the loss with "dialward init --reinitialize")`)
}
