import { existsSync, renameSync } from 'node:fs'
import { dirname } from 'node:path'
import { fsyncDirectory } from '../../crypto/atomic-file.js'
import { signCheckpoint, type CheckpointSignerDeps } from '../../jobs/checkpoint-signer.js'
import type { AppConfig } from '../config.js'
import { requestContext } from '../context.js'
import type { UnitOfWork } from '../unit-of-work.js'
import { checkpointFileTail } from './checkpoint-file.js'

/** The checkpoint file an explicit re-initialization set aside, and the last checkpoint it held. */
export interface RetiredCheckpoints {
  readonly file: string | null
  readonly size: number
  readonly root: string | null
}

/**
 * Sets the checkpoint file aside (renamed to `<file>.retired-<time>`, never deleted: it is the
 * evidence of the log that came before) so that a re-initialized database starts a file of its
 * own instead of forking the old one.
 */
export function retireCheckpointFile(path: string, now: number): RetiredCheckpoints {
  if (!existsSync(path)) return { file: null, size: 0, root: null }
  const tail = checkpointFileTail(path)
  const target = `${path}.retired-${new Date(now).toISOString().replace(/[:.]/g, '-')}`
  renameSync(path, target)
  fsyncDirectory(dirname(path))
  return { file: target, size: tail?.size ?? 0, root: tail?.root ?? null }
}

/**
 * Audits an explicit re-initialization (`store.reinitialize`) in the new log — what was set aside
 * and why — and signs the first checkpoint of the new checkpoint file at once, over the whole log
 * as it now stands (the set-aside file's loss accepted): a database that has signed checkpoints
 * of its own is refused by every command without one.
 */
export async function recordReinitialization(
  uow: UnitOfWork,
  signer: CheckpointSignerDeps & { readonly config: AppConfig },
  retired: RetiredCheckpoints,
  now: number,
): Promise<void> {
  await uow.write(requestContext(signer.config.cliActor, 'admin'), 'store.reinitialize', async () => ({
    result: null,
    audit: { subject: null, data: { retiredCheckpointFile: retired.file, retiredSize: retired.size, retiredRoot: retired.root } },
  }))
  await signCheckpoint(signer, now)
}
