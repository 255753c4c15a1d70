import { randomUUID } from 'node:crypto'
import type { Database, Executor } from '../schema.js'
import { sellerKey } from '../../core/gate/campaign.js'
import type { Subject, SubjectsRepo } from './subjects.js'

/** A company-specific do-not-call request as stored. */
export interface DncRecord {
  /** The seller it binds, or `null` for every seller. */
  readonly seller: string | null
  readonly at: number
  readonly source: string | null
}

/** The sealed columns of `dnc_entries`. */
export const DNC_SEALED_COLUMNS = ['source_ct'] as const

/** The company do-not-call list (`dnc_entries`), the source of each request sealed under the subject's key. */
export class DncRepo {
  readonly #subjects: SubjectsRepo

  constructor(subjects: SubjectsRepo) {
    this.#subjects = subjects
  }

  async add(trx: Executor, subject: Subject, d: DncRecord, now: number): Promise<string> {
    const id = `dnc_${randomUUID()}`
    await trx
      .insertInto('dnc_entries')
      .values({
        id,
        subject_id: subject.id,
        seller: d.seller,
        seller_key: d.seller === null ? null : sellerKey(d.seller),
        at: d.at,
        source_ct: await this.#subjects.seal(trx, subject, 'dnc_entries', id, 'source_ct', d.source),
        recorded_at: now,
      })
      .execute()
    return id
  }

  /** Opens the sealed source of a request read with its sealed columns; `KEY_UNAVAILABLE` once the subject's key was destroyed. */
  openSource(ex: Executor, row: Pick<Database['dnc_entries'], 'id' | 'source_ct'>): Promise<string | null> {
    return this.#subjects.open(ex, 'dnc_entries', row.id, 'source_ct', row.source_ct)
  }
}
