import type { Executor } from '../schema.js'
import { rowLedger, subjectScope } from './row-ledger.js'
import { rowId } from '../row-id.js'

/** Why a suppression entry exists: a purged do-not-call request or revocation, or an erasure request. */
export type SuppressionOrigin = 'request' | 'revocation' | 'erasure'

/** A suppression entry to store: the number only as its blind index, the seller it binds (null: every seller) and since when. */
export interface SuppressionRecord {
  readonly bidx: string
  readonly sellerKey: string | null
  readonly at: number
  readonly origin: SuppressionOrigin
}

/**
 * Suppression entries (`suppressions`): what purged requests and erasures leave behind, so the
 * gate keeps blocking the number. They outlive the subject they replaced (read with the subject's
 * other rows through `subjectRecords.read`).
 */
export const suppressionsRepo = {
  async add(trx: Executor, s: SuppressionRecord, now: number): Promise<string> {
    const id = rowId('sup')
    const row = { id, phone_bidx: s.bidx, seller_key: s.sellerKey, at: s.at, origin: s.origin, created_at: now }
    await trx.insertInto('suppressions').values(row).execute()
    rowLedger.inserted(trx, 'suppressions', [row], subjectScope(s.bidx))
    return id
  },

  /** The earliest erasure request of every number that made one, by blind index. */
  async erasures(ex: Executor): Promise<Map<string, number>> {
    const m = new Map<string, number>()
    for (const s of await ex.selectFrom('suppressions').select(['phone_bidx', 'at']).where('origin', '=', 'erasure').execute()) {
      m.set(s.phone_bidx, Math.min(m.get(s.phone_bidx) ?? s.at, s.at))
    }
    return m
  },

  async count(ex: Executor): Promise<number> {
    return Number((await ex.selectFrom('suppressions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0)
  },
}
