import { DialwardError } from '../../core/errors.js'
import { formatInstant } from '../../core/time/instant.js'
import type { RunSummary } from '../../store/repos/retention-runs.js'
import type { RequestContext } from '../context.js'
import { crashPoint } from '../crash-points.js'
import type { RetentionDeps } from './deps.js'
import { physicalScrub } from './physical-scrub.js'
import { receiptId, writeReceipt, type ReceiptContent } from './receipts.js'
import { backupExposure } from './backup-exposure.js'

/** The method statement of every receipt. */
export const CRYPTO_METHOD =
  'cryptographic erase (NIST SP 800-88r2 Purge) of the live store: AES-256 data keys destroyed (wrapped key dropped); survivors re-encrypted under a fresh key; copies in backups taken before the erase stay decryptable until the KEKs named in backups.keks are pruned'

const NOTHING_DELETED = 'none (access request: nothing deleted)'

/** What a finished run reports. */
export interface FinishedRun {
  readonly runId: string
  readonly kind: string
  readonly at: string
  readonly receipt: string
  readonly receiptDocument: Record<string, unknown>
  readonly summary: RunSummary
  readonly scrubComplete: boolean
}

/**
 * Completes a run whose deletions are committed and audited (status `audited`): physical scrub,
 * audit checkpoint, signed receipt file, then status `done` (audited as `retention.receipt` with
 * the receipt's digest). Safe to repeat after a crash at any step: the receipt is rewritten
 * atomically under the same name.
 */
export async function finishRun(d: RetentionDeps, ctx: RequestContext, runId: string): Promise<FinishedRun> {
  const run = await d.repos.retentionRuns.get(d.store.db, runId)
  if (!run || run.summary === null || run.auditSeq === null) throw new DialwardError('INTERNAL', `retention run ${runId} has no audited summary`)
  const summary = run.summary
  const scrub = run.kind === 'export' ? { physical: NOTHING_DELETED, complete: true, attempts: 0 } : await physicalScrub(d.store)
  crashPoint('retention.scrubbed')
  const now = d.clock()
  const content: ReceiptContent = {
    kind: run.kind === 'purge' ? 'retention-purge' : run.kind,
    runId: run.id,
    asOf: formatInstant(run.at),
    subject: run.subject,
    policySha256: summary.policySha256,
    records: Object.entries(summary.records)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([cls, n]) => ({ class: cls, records: n })),
    keysDestroyed: summary.keysDestroyed,
    suppressionEntriesAdded: summary.suppressionEntriesAdded,
    method: {
      cryptographic: run.kind === 'export' ? NOTHING_DELETED : CRYPTO_METHOD,
      physical: scrub.physical,
      physicalComplete: scrub.complete,
    },
    kept: summary.kept,
    backups: backupExposure(run.kind === 'export' ? [] : await d.repos.dataKeys.keksOf(d.store.db, summary.keysDestroyed), d.keyring),
  }
  const { path, receipt, sha256 } = await writeReceipt(d, content, run.auditSeq, now)
  crashPoint('retention.receipt-written')
  await d.uow.write(ctx, 'retention.receipt', async (tx) => {
    const current = await d.repos.retentionRuns.get(tx.db, runId)
    if (current?.status !== 'audited') return { result: undefined, audit: null }
    await d.repos.retentionRuns.markDone(tx.db, runId, now, path)
    return { result: undefined, audit: { subject: run.subject, data: { run: runId, receipt: receiptId(runId), receiptSha256: sha256 } } }
  })
  return { runId, kind: run.kind, at: formatInstant(run.at), receipt: path, receiptDocument: receipt, summary, scrubComplete: scrub.complete }
}

/** Finishes every run left `audited` by a crash (their receipts were not written yet). */
export async function finishPendingRuns(d: RetentionDeps, ctx: RequestContext): Promise<FinishedRun[]> {
  const out: FinishedRun[] = []
  for (const p of await d.repos.retentionRuns.withStatus(d.store.db, 'audited')) out.push(await finishRun(d, ctx, p.id))
  return out
}
