import type { Phone } from '../../core/phone/phone.js'
import { formatInstant } from '../../core/time/instant.js'
import type { DncRepo } from '../../store/repos/dnc.js'
import type { RequestContext } from '../context.js'
import type { SubjectFact, SubjectWrites } from '../subject-writes.js'
import type { WriteTx } from '../unit-of-work.js'
import type { Subject } from '../../store/repos/subjects.js'

/** A company-specific do-not-call request; `seller: null` covers every seller. */
export interface DncInput {
  readonly phone: Phone
  readonly at?: number | undefined
  readonly seller: string | null
  readonly source: string | null
}

export interface DncResult {
  readonly id: string
  readonly seller: string | null
  readonly scope: 'all-sellers' | 'seller'
  readonly at: string
}

/** The company do-not-call list. */
export class DncService {
  readonly #writes: SubjectWrites
  readonly #dnc: DncRepo

  constructor(writes: SubjectWrites, dnc: DncRepo) {
    this.#writes = writes
    this.#dnc = dnc
  }

  add(ctx: RequestContext, d: DncInput): Promise<DncResult> {
    return this.#writes.record(ctx, 'dnc.add', d.phone, (tx, subject) => this.#addOne(tx, subject, d))
  }

  /** Records many requests in one unit of work (a bulk import chunk), each audited as `dnc.add` would. */
  addMany(ctx: RequestContext, items: readonly DncInput[]): Promise<DncResult[]> {
    return this.#writes.recordMany(ctx, 'dnc.add', items, (d) => d.phone, (tx, subject, d) => this.#addOne(tx, subject, d))
  }

  async #addOne(tx: WriteTx, subject: Subject, d: DncInput): Promise<SubjectFact<DncResult>> {
    const at = d.at ?? tx.now
    const id = await this.#dnc.add(tx.db, subject, { seller: d.seller, at, source: d.source }, tx.now)
    const result: DncResult = { id, seller: d.seller, scope: d.seller === null ? 'all-sellers' : 'seller', at: formatInstant(at) }
    return { result, data: { entry: id, seller: d.seller, at: result.at } }
  }
}
