import { formatInstant } from '../../core/time/instant.js'
import type { RunSummary } from '../../store/repos/retention-runs.js'
import type { RequestContext } from '../context.js'
import { crashPoint } from '../crash-points.js'
import type { RetentionDeps } from './deps.js'
import { finishPendingRuns, finishRun, type FinishedRun } from './finish-run.js'
import { keptNow } from './kept-now.js'
import type { LoadedPolicy } from './policy-file.js'
import type { PurgeResult } from './purge-result.js'
import { purgeDecisions, purgeOrphanDisclosures, purgeQuarantine, purgeRegistryVersions, purgeSubjects, type PurgeScope } from './purge-steps.js'
import { rowId } from '../../store/row-id.js'

/** What a purge run is asked to do. */
export interface PurgeOptions {
  readonly at: number
  readonly policy: LoadedPolicy
}

/**
 * Runs a purge at `at`: deletes exactly what is past its ceiling and not held, in small audited
 * transactions, each recording its progress, then audits the run, scrubs, checkpoints and writes a
 * signed receipt. An interrupted run (kill -9) is resumed by the next call: the work is re-planned
 * from what is still stored, so nothing is deleted twice or resurrected.
 */
export async function runPurge(d: RetentionDeps, ctx: RequestContext, opts: PurgeOptions): Promise<PurgeResult> {
  const runs = d.repos.retentionRuns
  const earlier: string[] = []
  for (const f of await finishPendingRuns(d, ctx)) earlier.push(f.runId)
  let finished: FinishedRun | null = null
  let resumed = false
  for (const r of await runs.withStatus(d.store.db, 'running', 'purge')) {
    const f = await executePurge(d, ctx, r.id, r.at, opts.policy)
    if (r.at === opts.at && finished === null) {
      finished = f
      resumed = true
    } else earlier.push(f.runId)
  }
  if (!finished) {
    const id = rowId('run')
    await d.uow.write(ctx, 'retention.purge.start', async (tx) => {
      await runs.start(tx.db, id, opts.at, tx.now)
      return { result: undefined, audit: { subject: null, data: { run: id, at: formatInstant(opts.at), policySha256: opts.policy.sha256 } } }
    })
    finished = await executePurge(d, ctx, id, opts.at, opts.policy)
  }
  return {
    runId: finished.runId,
    at: finished.at,
    dryRun: false,
    resumed,
    deleted: finished.summary.records,
    keysDestroyed: finished.summary.keysDestroyed.length,
    suppressionEntriesAdded: finished.summary.suppressionEntriesAdded,
    kept: finished.summary.kept,
    receipt: finished.receipt,
    physicalScrubComplete: finished.scrubComplete,
    completedEarlierRuns: earlier,
  }
}

/** Executes (or resumes) one running purge: every step, then its final audited entry, then its receipt. */
async function executePurge(d: RetentionDeps, ctx: RequestContext, runId: string, at: number, loaded: LoadedPolicy): Promise<FinishedRun> {
  const db = d.store.db
  const scope: PurgeScope = { runId, at, policy: loaded.policy, holds: await d.repos.legalHolds.all(db) }
  await purgeSubjects(d, ctx, scope)
  await purgeDecisions(d, ctx, scope)
  await purgeRegistryVersions(d, ctx, scope)
  await purgeOrphanDisclosures(d, ctx, runId)
  await purgeQuarantine(d, ctx, scope)

  const kept = await keptNow(d, at, scope.policy, scope.holds)
  const totals = await d.repos.retentionRuns.batchTotals(db, runId)
  const summary: RunSummary = { records: totals.records, keysDestroyed: totals.keysDestroyed, suppressionEntriesAdded: totals.suppressionEntriesAdded, kept, policySha256: loaded.sha256 }
  await d.uow.write(ctx, 'retention.purge', async (tx) => {
    const run = await d.repos.retentionRuns.get(tx.db, runId)
    if (run?.status !== 'running') return { result: undefined, audit: null }
    return {
      result: undefined,
      audit: {
        subject: null,
        data: {
          run: runId,
          at: formatInstant(at),
          records: JSON.stringify(summary.records),
          keysDestroyed: summary.keysDestroyed.length,
          suppressionEntriesAdded: summary.suppressionEntriesAdded,
          batches: totals.batches,
          policySha256: loaded.sha256,
        },
        onAppended: (trx, seq) => d.repos.retentionRuns.markAudited(trx, runId, summary, seq),
      },
    }
  })
  crashPoint('retention.audited')
  return finishRun(d, ctx, runId)
}
