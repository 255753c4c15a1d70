import type { Kysely } from 'kysely'
import type { Database } from '../../store/schema.js'
import type { ConsentEvent, ConsentChannel, ConsentKind, RevocationVia } from '../../core/consent/consent-event.js'
import type { DncEntry } from '../../core/dnc/dnc-entry.js'
import type { CallAttempt, ReassignedCheck } from '../../core/gate/facts.js'

/** Everything the gate knows about one number, read without decrypting anything. */
export interface SubjectRecord {
  readonly consentEvents: ConsentEvent[]
  readonly dncEntries: DncEntry[]
  readonly reassigned: ReassignedCheck[]
  readonly calls: CallAttempt[]
}

const EMPTY: SubjectRecord = Object.freeze({ consentEvents: [], dncEntries: [], reassigned: [], calls: [] })

/** The record of a number that has never been seen: no consent, no requests, no calls. */
export function emptyRecord(): SubjectRecord {
  return EMPTY
}

/**
 * Loads gate records keyed by blind index: for one number (`bidx` given) or for every subject
 * (bulk scrub). Calls are loaded from `callsSince` on; every other event is loaded whole.
 */
export async function loadSubjectRecords(
  db: Kysely<Database>,
  options: { bidx?: string; callsSince: number },
): Promise<Map<string, SubjectRecord>> {
  const records = new Map<string, SubjectRecord>()
  const get = (bidx: string): SubjectRecord => {
    let r = records.get(bidx)
    if (!r) {
      r = { consentEvents: [], dncEntries: [], reassigned: [], calls: [] }
      records.set(bidx, r)
    }
    return r
  }
  const only = options.bidx

  let ce = db
    .selectFrom('consent_events as e')
    .innerJoin('subjects as s', 's.id', 'e.subject_id')
    .select(['s.phone_bidx', 'e.id', 'e.type', 'e.seller_key', 'e.kind', 'e.channel', 'e.via', 'e.at'])
  if (only !== undefined) ce = ce.where('s.phone_bidx', '=', only)
  for (const row of await ce.orderBy('e.at').orderBy('e.recorded_at').execute()) {
    const event: ConsentEvent =
      row.type === 'grant'
        ? { type: 'grant', id: row.id, sellerKey: row.seller_key ?? '', kind: row.kind as ConsentKind, channel: row.channel as ConsentChannel, at: row.at }
        : { type: 'revoke', id: row.id, sellerKey: row.seller_key, via: row.via as RevocationVia | null, at: row.at }
    get(row.phone_bidx).consentEvents.push(event)
  }

  let dnc = db.selectFrom('dnc_entries as d').innerJoin('subjects as s', 's.id', 'd.subject_id').select(['s.phone_bidx', 'd.id', 'd.seller_key', 'd.at'])
  if (only !== undefined) dnc = dnc.where('s.phone_bidx', '=', only)
  for (const row of await dnc.execute()) {
    get(row.phone_bidx).dncEntries.push({ id: row.id, sellerKey: row.seller_key, at: row.at, origin: 'request' })
  }

  // suppression entries left by purged requests and erasures block exactly like the requests they replace
  let sup = db.selectFrom('suppressions').select(['phone_bidx', 'id', 'seller_key', 'at', 'origin'])
  if (only !== undefined) sup = sup.where('phone_bidx', '=', only)
  for (const row of await sup.execute()) {
    get(row.phone_bidx).dncEntries.push({ id: row.id, sellerKey: row.seller_key, at: row.at, origin: row.origin === 'revocation' ? 'revocation' : 'request' })
  }

  let rnd = db
    .selectFrom('reassigned_checks as r')
    .innerJoin('subjects as s', 's.id', 'r.subject_id')
    .select(['s.phone_bidx', 'r.date', 'r.result', 'r.queried_at'])
  if (only !== undefined) rnd = rnd.where('s.phone_bidx', '=', only)
  for (const row of await rnd.execute()) {
    get(row.phone_bidx).reassigned.push({ date: row.date, result: row.result as ReassignedCheck['result'], queriedAt: row.queried_at })
  }

  let calls = db
    .selectFrom('calls as c')
    .innerJoin('subjects as s', 's.id', 'c.subject_id')
    .select(['s.phone_bidx', 'c.at', 'c.campaign_id', 'c.seller_key', 'c.outcome'])
    .where('c.at', '>=', options.callsSince)
  if (only !== undefined) calls = calls.where('s.phone_bidx', '=', only)
  for (const row of await calls.orderBy('c.at').execute()) {
    get(row.phone_bidx).calls.push({
      at: row.at,
      campaignId: row.campaign_id,
      sellerKey: row.seller_key,
      outcome: row.outcome as CallAttempt['outcome'],
    })
  }
  return records
}
