import type { Database, Executor } from '../schema.js'
import { sellerKey } from '../../core/gate/campaign.js'
import type { Subject, SubjectsRepo } from './subjects.js'
import type { DataKey } from './data-keys.js'
import type { Sealer } from './sealer.js'
import type { DncRow } from './subject-records.js'
import { deleteSubjectRows } from './delete-rows.js'
import { rowLedger, subjectScope } from './row-ledger.js'
import { rowId } from '../row-id.js'

/** A company-specific do-not-call request as stored. */
export interface DncRecord {
  /** The seller it binds, or `null` for every seller. */
  readonly seller: string | null
  readonly at: number
  readonly source: string | null
}

/** The sealed columns of `dnc_entries`. */
export const DNC_SEALED_COLUMNS = ['source_ct'] as const

/** Where the source of a request is sealed. */
const SOURCE = (id: string) => ({ table: 'dnc_entries', rowId: id, column: 'source_ct' }) as const

/** The company do-not-call list (`dnc_entries`), the source of each request sealed under the subject's key. */
export class DncRepo {
  readonly #subjects: SubjectsRepo
  readonly #sealer: Sealer

  constructor(subjects: SubjectsRepo, sealer: Sealer) {
    this.#subjects = subjects
    this.#sealer = sealer
  }

  async add(trx: Executor, subject: Subject, d: DncRecord, now: number): Promise<string> {
    const id = rowId('dnc')
    const row: Database['dnc_entries'] = {
      id,
      subject_id: subject.id,
      seller: d.seller,
      seller_key: d.seller === null ? null : sellerKey(d.seller),
      at: d.at,
      source_ct: await this.#subjects.seal(trx, subject, 'dnc_entries', id, 'source_ct', d.source),
      recorded_at: now,
    }
    await trx.insertInto('dnc_entries').values(row).execute()
    rowLedger.inserted(trx, 'dnc_entries', [row], subjectScope(subject.bidx))
    return id
  }

  /** A request's source decrypted (an audited read of PII is the caller's duty). */
  openSource(ex: Executor, row: DncRow<true>): Promise<string | null> {
    return this.#sealer.open(ex, SOURCE(row.id), row.source_ct)
  }

  /** Re-seals the sources of a subject's requests under a fresh data key (re-keying the subject). */
  async rekey(trx: Executor, rows: readonly DncRow<true>[], fresh: DataKey): Promise<void> {
    for (const d of rows) {
      if (d.source_ct === null) continue
      const sourceCt = await this.#sealer.reseal(trx, SOURCE(d.id), d.source_ct, fresh)
      await trx.updateTable('dnc_entries').set({ source_ct: sourceCt }).where('id', '=', d.id).execute()
      rowLedger.updated(trx, 'dnc_entries', { ...d, source_ct: sourceCt })
    }
  }

  /** A page of the whole list in id order after `afterId`, with each request's subject and sealed number (exports). */
  async page(ex: Executor, afterId: string | null, limit: number): Promise<Array<{ id: string; seller: string | null; sellerKey: string | null; at: number; subjectId: string; phoneCt: Buffer }>> {
    let q = ex
      .selectFrom('dnc_entries')
      .innerJoin('subjects', 'subjects.id', 'dnc_entries.subject_id')
      .select(['dnc_entries.id', 'dnc_entries.seller', 'dnc_entries.seller_key', 'dnc_entries.at', 'dnc_entries.subject_id', 'subjects.phone_ct'])
      .orderBy('dnc_entries.id')
      .limit(limit)
    if (afterId !== null) q = q.where('dnc_entries.id', '>', afterId)
    return (await q.execute()).map((r) => ({ id: r.id, seller: r.seller, sellerKey: r.seller_key, at: Number(r.at), subjectId: r.subject_id, phoneCt: r.phone_ct }))
  }

  /** Deletes requests of one subject by id; returns how many went. */
  deleteIds(trx: Executor, subjectId: string, ids: readonly string[]): Promise<number> {
    return deleteSubjectRows(trx, 'dnc_entries', subjectId, ids)
  }
}
