import type { RunSummary } from '../../store/repos/retention-runs.js'

/** What a purge (or a dry run of one) reports. */
export interface PurgeResult {
  readonly runId: string | null
  readonly at: string
  readonly dryRun: boolean
  readonly resumed: boolean
  /** Records deleted (a dry run: that would be deleted), by record class. */
  readonly deleted: Record<string, number>
  readonly keysDestroyed: number
  readonly suppressionEntriesAdded: number
  readonly kept: RunSummary['kept']
  readonly receipt: string | null
  readonly physicalScrubComplete: boolean | null
  /** Earlier interrupted runs completed first. */
  readonly completedEarlierRuns: string[]
}
