import type { AbandonmentStats } from '../../core/gate/facts.js'
import type { RegistryVersion } from '../../store/repos/registries.js'
import type { SubjectRecord } from './gate-record.js'

/**
 * Where the gate reads the facts that depend on the number: stored rows (one read per check, the
 * command line) or the in-memory index a long-lived server keeps current (no fact is read per check;
 * one small query of the change counters, shared by concurrent checks, brings it up to date).
 * Both give the same answers; `check` and `scrub` decide identically whichever is used.
 */
export interface FactSource {
  /** Makes the source current before a decision batch (cheap: reads change counters). */
  refresh(): Promise<void>
  /** The gate record of each blind index at `at` (`undefined`: nothing bears on a decision). */
  records(bidxs: readonly string[], at: number): Promise<ReadonlyMap<string, SubjectRecord | undefined>>
  /** The ids of the versions among `versions` that list the national number. */
  listedOn(versions: readonly RegistryVersion[], national: number): Promise<ReadonlySet<string>>
  /** A campaign's live-answered and abandoned calls in the `periodHours` up to `at`. */
  abandonment(campaignId: string, at: number, periodHours: number): Promise<AbandonmentStats>
}
