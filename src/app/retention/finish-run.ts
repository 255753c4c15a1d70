import type { App } from '../open-app.js'
import { physicalScrub } from './physical-scrub.js'
import { writeReceipt } from './receipts.js'
import type { RunSummary } from './run-record.js'
import { formatInstant } from '../../core/time/instant.js'

/** The method statement of every receipt. */
export const CRYPTO_METHOD = 'cryptographic erase (NIST SP 800-88r2 Purge): AES-256 data keys destroyed (wrapped key dropped); survivors re-encrypted under a fresh key'

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

export type StepHook = (step: string) => void

/**
 * Completes a run whose deletions are committed and audited (status `audited`): physical scrub,
 * audit checkpoint, signed receipt file, then status `done`. Safe to repeat after a crash at any
 * step: the receipt is rewritten atomically under the same name.
 */
export async function finishRun(app: App, runId: string, onStep: StepHook = () => {}): Promise<FinishedRun> {
  const run = await app.db.selectFrom('retention_runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow()
  if (run.summary === null || run.audit_seq === null) throw new Error(`retention run ${runId} has no audited summary`)
  const summary = JSON.parse(run.summary) as RunSummary
  const scrub = run.kind === 'export' ? { physical: 'none (access request: nothing deleted)', complete: true, attempts: 0 } : await physicalScrub(app)
  onStep('scrubbed')
  const now = app.now()
  const kind = run.kind === 'purge' ? 'retention-purge' : run.kind === 'erasure' ? 'erasure' : 'export'
  const { path, receipt } = await writeReceipt(
    app,
    {
      kind,
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
        cryptographic: run.kind === 'export' ? 'none (access request: nothing deleted)' : CRYPTO_METHOD,
        physical: scrub.physical,
        physicalComplete: scrub.complete,
      },
      kept: summary.kept,
    },
    run.audit_seq,
    now,
  )
  onStep('receipt-written')
  await app.db.updateTable('retention_runs').set({ status: 'done', finished_at: now, receipt_path: path }).where('id', '=', runId).execute()
  return { runId, kind: run.kind, at: formatInstant(run.at), receipt: path, receiptDocument: receipt, summary, scrubComplete: scrub.complete }
}

/** Finishes every run left `audited` by a crash (their receipts were not written yet). */
export async function finishPendingRuns(app: App, onStep?: StepHook): Promise<FinishedRun[]> {
  const pending = await app.db.selectFrom('retention_runs').select('id').where('status', '=', 'audited').orderBy('started_at').execute()
  const out: FinishedRun[] = []
  for (const p of pending) out.push(await finishRun(app, p.id, onStep))
  return out
}
