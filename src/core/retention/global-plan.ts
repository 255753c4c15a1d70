import type { Instant } from '../time/instant.js'
import { addPeriod } from './duration.js'
import { holdActive, holdsCoveringDecision, type LegalHold } from './holds.js'
import type { RetentionPolicy } from './policy.js'
import type { RecordSchedule } from './subject-plan.js'
import type { Period } from './duration.js'

/** A decision-log row as retention sees it. */
export interface DecisionFact {
  readonly id: string
  readonly bidx: string | null
  readonly campaignId: string
  readonly sellerKey: string | null
  readonly at: Instant
}

/** A registry version as retention sees it. */
export interface RegistryVersionFact {
  readonly id: string
  readonly registry: string
  readonly asOf: Instant
  /**
   * The area codes it covers (CONTRACT "Registry coverage"): a version is in force per area code,
   * so it is superseded only once every area code it covers has a newer version. Absent for
   * versions that replace the whole registry (stored before coverage existed).
   */
  readonly coverage?: { readonly full: boolean; readonly areas: readonly number[] } | undefined
}

/** The schedule of a decision-log row; `erasureAt` (of its number) shrinks the ceiling to the floor. */
export function scheduleDecision(d: DecisionFact, policy: RetentionPolicy, erasureAt: Instant | null): RecordSchedule {
  const p = policy['decision-log']
  let floorAt = Number.NEGATIVE_INFINITY
  for (const f of p.floors) floorAt = Math.max(floorAt, addPeriod(d.at, f.period))
  const ceiling = p.ceiling === null ? Number.POSITIVE_INFINITY : addPeriod(d.at, p.ceiling)
  const dueAt = erasureAt !== null ? floorAt : Math.max(floorAt, ceiling)
  return { id: d.id, recordClass: 'decision-log', table: 'decisions', floorAt, dueAt, why: erasureAt !== null ? 'erasure requested: kept only until the legal floor' : 'ceiling counted from the instant decided' }
}

/** Whether a decision-log row is due at `now` (and not held). */
export function decisionDue(d: DecisionFact, policy: RetentionPolicy, holds: readonly LegalHold[], now: Instant, erasureAt: Instant | null = null): boolean {
  return scheduleDecision(d, policy, erasureAt).dueAt <= now && holdsCoveringDecision(holds, d, now).length === 0
}

/**
 * When a registry version was superseded: the as-of date by which a newer version in force by
 * `now` took over everything it covers — for a version of some area codes, the latest of the
 * dates at which each of its area codes got a newer version; for a whole registry, the next newer
 * whole registry. `Infinity` while it is in force anywhere.
 */
export function supersededAt(v: RegistryVersionFact, all: readonly RegistryVersionFact[], now: Instant): Instant {
  const newer = all.filter((o) => o.registry === v.registry && o.asOf > v.asOf && o.asOf <= now)
  const whole = (o: RegistryVersionFact): boolean => o.coverage === undefined || o.coverage.full
  const first = (cands: readonly RegistryVersionFact[]): Instant => cands.reduce((t, o) => Math.min(t, o.asOf), Number.POSITIVE_INFINITY)
  if (v.coverage === undefined || v.coverage.full) return first(newer.filter(whole))
  let t = Number.NEGATIVE_INFINITY
  for (const area of v.coverage.areas) t = Math.max(t, first(newer.filter((o) => whole(o) || o.coverage!.areas.includes(area))))
  return t === Number.NEGATIVE_INFINITY ? first(newer.filter(whole)) : t
}

/**
 * The schedule of every registry version at `now`. The version in force is never due; any active
 * legal hold keeps every version (it is the evidence of every scrub).
 */
export function scheduleRegistryVersions(all: readonly RegistryVersionFact[], policy: RetentionPolicy, holds: readonly LegalHold[], now: Instant): { schedule: RecordSchedule[]; held: boolean } {
  const p = policy['registry-versions']
  const held = holds.some((h) => holdActive(h, now))
  const schedule = all.map((v): RecordSchedule => {
    const from = supersededAt(v, all, now)
    let floorAt = Number.NEGATIVE_INFINITY
    for (const f of p.floors) floorAt = Math.max(floorAt, addPeriod(from, f.period))
    const ceiling = p.ceiling === null ? Number.POSITIVE_INFINITY : addPeriod(from, p.ceiling)
    return { id: v.id, recordClass: 'registry-versions', table: 'registry_versions', floorAt, dueAt: Math.max(floorAt, ceiling), why: from === Number.POSITIVE_INFINITY ? 'in force: kept' : 'ceiling counted from supersession' }
  })
  return { schedule, held }
}

/**
 * When a quarantined import row is due: the data schema's quarantine period after it was
 * quarantined (`Infinity` while any hold covering everything is active: a quarantined row has no
 * number, so only such a hold can cover it).
 */
export function quarantineDueAt(createdAt: Instant, keep: Period, holds: readonly LegalHold[], now: Instant): Instant {
  if (holds.some((h) => h.scope.kind === 'all' && holdActive(h, now))) return Number.POSITIVE_INFINITY
  return addPeriod(createdAt, keep)
}
