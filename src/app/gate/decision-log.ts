import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../../store/schema.js'
import type { GateOutcome } from './gate-session.js'

/** A decision-log row, built before it is written so the caller knows its id. */
export type DecisionRow = Database['decisions']

/** Builds the decision-log row of an outcome: reasons and data versions, the number only as a blind index. */
export function decisionRow(
  outcome: GateOutcome,
  bidx: string | null,
  campaignId: string,
  source: string,
  at: number,
  now: number,
  id = `dec_${randomUUID()}`,
): DecisionRow {
  return {
    id,
    phone_bidx: bidx,
    campaign_id: campaignId,
    source,
    at,
    verdict: outcome.decision.verdict,
    reasons: JSON.stringify(outcome.decision.reasons),
    next_allowed_at: outcome.decision.nextAllowedAt,
    versions: JSON.stringify(outcome.versions),
    decided_at: now,
  }
}

/** Writes one decision-log row inside the caller's transaction (bulk scrub rows go through `App.bulkInsert`). */
export async function writeDecision(trx: Kysely<Database>, row: DecisionRow): Promise<void> {
  await trx.insertInto('decisions').values(row).execute()
}
