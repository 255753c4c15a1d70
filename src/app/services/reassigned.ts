import type { Phone } from '../../core/phone/phone.js'
import { formatInstant } from '../../core/time/instant.js'
import type { reassignedRepo, ReassignedRecord } from '../../store/repos/reassigned.js'
import type { RequestContext } from '../context.js'
import type { SubjectWrites } from '../subject-writes.js'

/** A Reassigned Numbers Database answer for a number and date. */
export interface ReassignedInput {
  readonly phone: Phone
  /** The date asked about, 00:00 UTC. */
  readonly date: number
  readonly result: ReassignedRecord['result']
  /** When the database was asked; default: now. */
  readonly queriedAt?: number | undefined
}

export interface ReassignedResult {
  readonly id: string
  readonly date: string
  readonly result: ReassignedRecord['result']
  readonly queriedAt: string
}

/** Reassigned-number results: a `yes` for date D voids every consent granted on or before D. */
export class ReassignedService {
  readonly #writes: SubjectWrites
  readonly #repo: typeof reassignedRepo

  constructor(writes: SubjectWrites, repo: typeof reassignedRepo) {
    this.#writes = writes
    this.#repo = repo
  }

  record(ctx: RequestContext, r: ReassignedInput): Promise<ReassignedResult> {
    return this.#writes.record(ctx, 'reassigned.record', r.phone, async (tx, subject) => {
      const queriedAt = r.queriedAt ?? tx.now
      const id = await this.#repo.add(tx.db, subject, { date: r.date, result: r.result, queriedAt }, tx.now)
      const result: ReassignedResult = { id, date: formatInstant(r.date).slice(0, 10), result: r.result, queriedAt: formatInstant(queriedAt) }
      return { result, data: { check: id, date: result.date, result: r.result, queriedAt: result.queriedAt } }
    })
  }
}
