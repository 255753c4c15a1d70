import { readFileSync } from 'node:fs'
import { formatInstant } from '../../core/time/instant.js'
import { publicKeyFingerprint, publicKeyOf } from '../../crypto/signing.js'
import { retentionRunsRepo } from '../../store/repos/retention-runs.js'
import type { RetentionDeps } from './deps.js'
import { receiptId } from './receipts.js'
import { verifyReceipt } from './verify-receipt.js'
import { eraseStatus } from './backup-exposure.js'

/** One deletion (or access) receipt with the result of verifying it now. */
export interface ReceiptEntry {
  readonly id: string
  readonly runId: string
  readonly kind: string
  /** The instant the run purged as of (an erasure: when the request was honored). */
  readonly at: string
  readonly completedAt: string | null
  /** Records removed per class (an access request removes nothing). */
  readonly records: Record<string, number>
  readonly keysDestroyed: number
  readonly suppressionEntriesAdded: number
  /** Signature, embedded checkpoint and inclusion proof verify, and the signer is this installation's key. */
  readonly valid: boolean
  readonly problems: string[]
  readonly publicKeySha256: string | null
  readonly signedByThisInstallation: boolean
  /** `complete`: no KEK that wraps a copy of the destroyed data keys in an older backup is left in the keyring; `pending-key-prune`: some are (`pendingKeks`); `none`: no key destroyed. */
  readonly erase: 'complete' | 'pending-key-prune' | 'none'
  readonly pendingKeks: string[]
}

/**
 * Every finished run's receipt, newest first, each verified as `receipts verify` does (signature,
 * embedded checkpoint, inclusion proof) and checked against this installation's signing key. A
 * receipt file that is missing or unreadable is listed as invalid, naming the problem.
 */
export async function listReceipts(d: RetentionDeps): Promise<ReceiptEntry[]> {
  const runs = await retentionRunsRepo.withStatus(d.store.db, 'done')
  const ours = publicKeyFingerprint(publicKeyOf(d.keyring))
  const out: ReceiptEntry[] = []
  for (const run of runs.reverse()) {
    let doc: unknown = null
    const problems: string[] = []
    try {
      doc = JSON.parse(readFileSync(run.receiptPath ?? '', 'utf8'))
    } catch (err) {
      problems.push(`receipt file ${run.receiptPath ?? '(none)'} cannot be read: ${(err as NodeJS.ErrnoException).code ?? 'not JSON'}`)
    }
    const v = doc === null ? null : verifyReceipt(doc)
    if (v) problems.push(...v.problems)
    const signedByThisInstallation = v?.publicKeySha256 === ours
    if (v && !signedByThisInstallation) problems.push('signed by another key than this installation\'s')
    const keks = v?.backupKeks ?? (await d.repos.dataKeys.keksOf(d.store.db, run.kind === 'export' ? [] : (run.summary?.keysDestroyed ?? [])))
    const status = eraseStatus(keks, d.keyring)
    const completedAt = doc !== null && typeof (doc as Record<string, unknown>)['completedAt'] === 'string' ? ((doc as Record<string, unknown>)['completedAt'] as string) : null
    out.push({
      id: v?.id ?? receiptId(run.id),
      runId: run.id,
      kind: run.kind,
      at: formatInstant(run.at),
      completedAt,
      records: run.summary?.records ?? {},
      keysDestroyed: run.summary?.keysDestroyed.length ?? 0,
      suppressionEntriesAdded: run.summary?.suppressionEntriesAdded ?? 0,
      valid: problems.length === 0,
      problems,
      publicKeySha256: v?.publicKeySha256 ?? null,
      signedByThisInstallation,
      erase: status.erase,
      pendingKeks: [...status.pendingKeks],
    })
  }
  return out
}
