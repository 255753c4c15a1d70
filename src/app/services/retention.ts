import { DAY, type Instant } from '../../core/time/instant.js'
import { invalidInput } from '../../core/errors.js'
import type { Phone } from '../../core/phone/phone.js'
import { describePolicy } from '../../core/retention/policy.js'
import type { RequestContext } from '../context.js'
import type { RetentionDeps } from '../retention/deps.js'
import { dryRunPurge } from '../retention/dry-run.js'
import { eraseSubject } from '../retention/erase-subject.js'
import { exportSubject, type ExportDocument } from '../retention/export-subject.js'
import { inventory, type Inventory } from '../retention/inventory.js'
import { forecast, type Forecast } from '../retention/forecast.js'
import { loadRetentionPolicy, type LoadedPolicy } from '../retention/policy-file.js'
import type { PurgeResult } from '../retention/purge-result.js'
import { runPurge } from '../retention/purge-run.js'
import { listReceipts, type ReceiptEntry } from '../retention/receipt-list.js'
import type { RunSummary } from '../../store/repos/retention-runs.js'

export type { ExportDocument } from '../retention/export-subject.js'
export type { Forecast } from '../retention/forecast.js'
export type { PurgeResult } from '../retention/purge-result.js'
export type { ReceiptEntry } from '../retention/receipt-list.js'

/** Which retention policy to apply: a policy file, or (null/omitted) `DATA/retention-policy.json` when present, else the defaults. */
export interface PolicyChoice {
  readonly policyFile?: string | null | undefined
}

/** The effective policy table, where it came from and its digest (named in receipts). */
export interface PolicyView {
  readonly source: string
  readonly sha256: string
  readonly classes: Array<Record<string, unknown>>
}

/** A purge: as of `at` (default now). */
export interface PurgeInput extends PolicyChoice {
  readonly at?: Instant | undefined
}

/** A forecast from `at` (default now) to `until` (default 366 days later). */
export interface ForecastInput extends PolicyChoice {
  readonly at?: Instant | undefined
  readonly until?: Instant | undefined
}

/** An erasure request for a number, honored at `at` (default now). */
export interface EraseInput extends PolicyChoice {
  readonly phone: Phone
  readonly at?: Instant | undefined
}

/** An access request for a number. */
export interface ExportInput extends PolicyChoice {
  readonly phone: Phone
}

/** What an erasure did (no PII: the number appears only as its blind index). */
export interface ErasureResult {
  readonly runId: string
  readonly at: string
  /** The number's blind index. */
  readonly subject: string | null
  readonly deleted: Record<string, number>
  readonly keysDestroyed: number
  readonly suppressionEntriesAdded: number
  readonly kept: RunSummary['kept']
  readonly receipt: string
  readonly physicalScrubComplete: boolean
}

/**
 * Retention: the effective policy, purges (and their dry runs), forecasts, erasure and access
 * requests. Every deletion goes through the audited unit of work in small transactions; every
 * purge, erasure and export ends with a signed receipt.
 */
export class RetentionService {
  readonly #d: RetentionDeps

  constructor(deps: RetentionDeps) {
    this.#d = deps
  }

  /** The effective retention policy (`RETENTION_POLICY_INVALID` for a file that is unreadable, not JSON, or below a legal floor). */
  policy(_ctx: RequestContext, input: PolicyChoice): PolicyView {
    const loaded = this.#load(input)
    return { source: loaded.source, sha256: loaded.sha256, classes: describePolicy(loaded.policy) }
  }

  /** Purges what is past its ceiling and not held, finishing interrupted runs first; writes a signed receipt. */
  async purge(ctx: RequestContext, input: PurgeInput): Promise<PurgeResult> {
    const loaded = this.#load(input)
    await this.#d.watch.sync(this.#d.store.db)
    return runPurge(this.#d, ctx, { at: input.at ?? this.#d.clock(), policy: loaded })
  }

  /** What `purge` would delete at `at`, changing nothing. */
  dryRun(_ctx: RequestContext, input: PurgeInput): Promise<PurgeResult> {
    const loaded = this.#load(input)
    return dryRunPurge(this.#d, input.at ?? this.#d.clock(), loaded)
  }

  /** What will be deleted when, assuming no new activity and the holds as they are now. */
  forecast(_ctx: RequestContext, input: ForecastInput): Promise<Forecast> {
    const loaded = this.#load(input)
    const at = input.at ?? this.#d.clock()
    const until = input.until ?? at + 366 * DAY
    if (until < at) throw invalidInput('until', 'must not be before the start of the forecast')
    return forecast(this.#d, loaded.policy, at, until)
  }

  /** The inventory of personal data held: categories, purposes, subjects, oldest records, next deletions (counts and dates only). */
  inventory(_ctx: RequestContext, input: PolicyChoice & { readonly at?: Instant | undefined }): Promise<Inventory> {
    const loaded = this.#load(input)
    return inventory(this.#d, loaded.policy, loaded.sha256, input.at ?? this.#d.clock())
  }

  /** Erases a person's data, keeping only what a legal floor or hold requires and a suppression entry. */
  async erase(ctx: RequestContext, input: EraseInput): Promise<ErasureResult> {
    const loaded = this.#load(input)
    await this.#d.watch.sync(this.#d.store.db)
    const r = await eraseSubject(this.#d, ctx, input.phone, input.at ?? this.#d.clock(), loaded)
    return {
      runId: r.runId,
      at: r.at,
      subject: (r.receiptDocument['subject'] as string | null | undefined) ?? null,
      deleted: r.summary.records,
      keysDestroyed: r.summary.keysDestroyed.length,
      suppressionEntriesAdded: r.summary.suppressionEntriesAdded,
      kept: r.summary.kept,
      receipt: r.receipt,
      physicalScrubComplete: r.scrubComplete,
    }
  }

  /** Everything stored about a number, decrypted (an audited read, with a receipt). */
  async export(ctx: RequestContext, input: ExportInput): Promise<ExportDocument> {
    const loaded = this.#load(input)
    await this.#d.watch.sync(this.#d.store.db)
    return exportSubject(this.#d, ctx, input.phone, loaded)
  }

  /** Every finished run's receipt, newest first, each verified now (signature, checkpoint, inclusion proof, signer). */
  receipts(_ctx: RequestContext): Promise<ReceiptEntry[]> {
    return listReceipts(this.#d)
  }

  #load(input: PolicyChoice): LoadedPolicy {
    return loadRetentionPolicy(this.#d.config.dataDir, input.policyFile ?? null)
  }
}
