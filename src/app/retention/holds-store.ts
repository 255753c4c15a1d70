import type { Kysely } from 'kysely'
import type { Database } from '../../store/schema.js'
import type { HoldScope, LegalHold } from '../../core/retention/holds.js'

/** Every legal hold (released ones included), oldest first. */
export async function loadHolds(db: Kysely<Database>): Promise<LegalHold[]> {
  const rows = await db.selectFrom('legal_holds').select(['id', 'scope', 'target', 'created_at', 'until', 'released_at']).orderBy('created_at').orderBy('id').execute()
  return rows.map((r) => ({ id: r.id, scope: scopeOf(r.scope, r.target), createdAt: r.created_at, until: r.until, releasedAt: r.released_at }))
}

/** The stored form of a scope: its kind and target (blind index, seller key, campaign id or null). */
export function scopeOf(kind: string, target: string | null): HoldScope {
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
