import type { Instant } from '../time/instant.js'
import type { RetentionPolicy } from './policy.js'
import type { RecordClass } from './record-class.js'
import type { RecordSchedule } from './subject-plan.js'

/** Why a record was kept, grouped for a receipt: class, count and reason (no PII). */
export interface KeptLine {
  readonly class: string
  readonly records: number
  readonly why: string
}

/** Counts kept records by class and reason; feed it schedules, read `lines()`. */
export class KeptSummary {
  readonly #policy: RetentionPolicy
  readonly #now: Instant
  readonly #counts = new Map<string, { cls: string; why: string; n: number }>()

  constructor(policy: RetentionPolicy, now: Instant) {
    this.#policy = policy
    this.#now = now
  }

  /** Adds records that were not deleted: `holdIds` non-empty when a legal hold kept them. */
  add(records: readonly RecordSchedule[], holdIds: readonly string[]): void {
    for (const r of records) this.addCount(r.recordClass, this.#why(r, holdIds), 1)
  }

  /** Adds a count of records of a class kept for a stated reason. */
  addCount(cls: RecordClass, why: string, n: number): void {
    if (n <= 0) return
    const k = `${cls}\u0000${why}`
    const e = this.#counts.get(k)
    if (e) e.n += n
    else this.#counts.set(k, { cls, why, n })
  }

  /** The lines, sorted by class then reason. */
  lines(): KeptLine[] {
    return [...this.#counts.values()]
      .sort((a, b) => (a.cls === b.cls ? a.why.localeCompare(b.why) : a.cls.localeCompare(b.cls)))
      .map((e) => ({ class: e.cls, records: e.n, why: e.why }))
  }

  #why(r: RecordSchedule, holdIds: readonly string[]): string {
    if (holdIds.length > 0) return `legal hold ${[...holdIds].sort().join(', ')}`
    if (r.floorAt > this.#now) {
      const floors = this.#policy[r.recordClass].floors
      return `legal floor not reached: ${floors.map((f) => `${f.rule} (${f.source})`).join('; ')}`
    }
    if (r.dueAt === Number.POSITIVE_INFINITY || this.#policy[r.recordClass].ceiling === null) return r.why
    return 'ceiling not reached (operator policy)'
  }
}
