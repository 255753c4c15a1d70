import type { DecisionFact } from '../../core/retention/global-plan.js'
import type { Executor } from '../../store/schema.js'
import type { DecisionStub, DecisionsRepo } from '../../store/repos/decisions.js'

/** Decision-log rows read per page. */
export const DECISION_PAGE = 1_000

/** A decision-log row as retention sees it: its number, campaign, the campaign's seller and its instant. */
export function decisionFact(row: DecisionStub, sellers: ReadonlyMap<string, string>): DecisionFact {
  return { id: row.id, bidx: row.phone_bidx, campaignId: row.campaign_id, sellerKey: sellers.get(row.campaign_id) ?? null, at: row.at }
}

/** The decision log a page at a time in (at, id) order, optionally only rows decided at or before `upTo`. */
export async function* decisionPages(decisions: DecisionsRepo, ex: Executor, upTo?: number): AsyncGenerator<DecisionStub[]> {
  let cursor: { at: number; id: string } | null = null
  for (;;) {
    const rows = await decisions.stubPage(ex, cursor, DECISION_PAGE, upTo)
    if (rows.length === 0) return
    const last = rows[rows.length - 1]!
    cursor = { at: last.at, id: last.id }
    yield rows
  }
}
