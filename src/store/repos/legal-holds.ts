import type { Executor } from '../schema.js'
import { rowLedger } from './row-ledger.js'
import type { HoldScope, LegalHold } from '../../core/retention/holds.js'
import type { DataKeys } from './data-keys.js'
import type { Sealer } from './sealer.js'

/** A hold to store: its scope, the reason given and the label shown for its target (a seller's name, a campaign id). */
export interface HoldRecord {
  readonly id: string
  readonly scope: HoldScope
  readonly reason: string
  readonly label: string
  readonly until: number | null
}

/** A stored hold with its reason and label in the clear. */
export interface OpenedHold {
  readonly hold: LegalHold
  readonly reason: string
  readonly label: string
}

/** Where a hold's reason (and target label) is sealed, under the shared holds key. */
const REASON = (id: string) => ({ table: 'legal_holds', rowId: id, column: 'reason_ct' }) as const

/**
 * Legal holds (`legal_holds`): what they cover (a number only as its blind index), when they end
 * or were released, and the reason sealed under the shared holds key.
 */
export class LegalHoldsRepo {
  readonly #keys: DataKeys
  readonly #sealer: Sealer

  constructor(keys: DataKeys, sealer: Sealer) {
    this.#keys = keys
    this.#sealer = sealer
  }

  /** Every legal hold (released ones included), oldest first. */
  async all(ex: Executor): Promise<LegalHold[]> {
    const rows = await ex.selectFrom('legal_holds').select(['id', 'scope', 'target', 'created_at', 'until', 'released_at']).orderBy('created_at').orderBy('id').execute()
    return rows.map((r) => ({ id: r.id, scope: scopeOf(r.scope, r.target), createdAt: r.created_at, until: r.until, releasedAt: r.released_at }))
  }

  /** Every legal hold with its reason and label decrypted, oldest first. */
  async opened(ex: Executor): Promise<OpenedHold[]> {
    const rows = await ex.selectFrom('legal_holds').selectAll().orderBy('created_at').orderBy('id').execute()
    const out: OpenedHold[] = []
    for (const r of rows) {
      const { reason, label } = JSON.parse((await this.#sealer.open(ex, REASON(r.id), r.reason_ct))!) as { reason: string; label: string }
      out.push({ hold: { id: r.id, scope: scopeOf(r.scope, r.target), createdAt: r.created_at, until: r.until, releasedAt: r.released_at }, reason, label })
    }
    return out
  }

  async find(ex: Executor, id: string): Promise<LegalHold | null> {
    const r = await ex.selectFrom('legal_holds').select(['id', 'scope', 'target', 'created_at', 'until', 'released_at']).where('id', '=', id).executeTakeFirst()
    return r ? { id: r.id, scope: scopeOf(r.scope, r.target), createdAt: r.created_at, until: r.until, releasedAt: r.released_at } : null
  }

  /** Stores a new hold, its reason and label sealed under the shared holds key (created on first use). */
  async insert(trx: Executor, h: HoldRecord, now: number): Promise<void> {
    const key = await this.#keys.shared(trx, 'holds', now)
    const reasonCt = this.#sealer.sealWith(key, REASON(h.id), JSON.stringify({ reason: h.reason, label: h.label }))
    const row = { id: h.id, scope: h.scope.kind, target: targetOf(h.scope), reason_key_id: key.id, reason_ct: reasonCt, created_at: now, until: h.until, released_at: null }
    await trx.insertInto('legal_holds').values(row).execute()
    rowLedger.inserted(trx, 'legal_holds', [row], 'holds')
  }

  /** Marks a hold released at `now`; `false` when it was released already. */
  async release(trx: Executor, id: string, now: number): Promise<boolean> {
    const rows = await trx.updateTable('legal_holds').set({ released_at: now }).where('id', '=', id).where('released_at', 'is', null).returningAll().execute()
    for (const r of rows) rowLedger.updated(trx, 'legal_holds', r, 'holds')
    return rows.length > 0
  }
}

/** The stored form of a scope: its kind and target (blind index, seller key, campaign id or null). */
function scopeOf(kind: string, target: string | null): HoldScope {
  switch (kind) {
    case 'phone':
      return { kind: 'phone', bidx: target ?? '' }
    case 'seller':
      return { kind: 'seller', sellerKey: target ?? '' }
    case 'campaign':
      return { kind: 'campaign', campaignId: target ?? '' }
    default:
      return { kind: 'all' }
  }
}

/** The target column of a scope. */
export function targetOf(scope: HoldScope): string | null {
  switch (scope.kind) {
    case 'phone':
      return scope.bidx
    case 'seller':
      return scope.sellerKey
    case 'campaign':
      return scope.campaignId
    case 'all':
      return null
  }
}
