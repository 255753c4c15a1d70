import type { Kysely } from 'kysely'
import type { Database } from '../../store/schema.js'
import type { SubjectFacts } from '../../core/retention/retention-facts.js'

type MutableFacts = {
  -readonly [K in keyof SubjectFacts]: SubjectFacts[K] extends ReadonlyArray<infer T> ? T[] : SubjectFacts[K]
}

/** Subject ids in id order after `afterId` (keyset pagination), at most `limit`. */
export async function subjectIdPage(db: Kysely<Database>, afterId: string | null, limit: number): Promise<string[]> {
  let q = db.selectFrom('subjects').select('id').orderBy('id').limit(limit)
  if (afterId !== null) q = q.where('id', '>', afterId)
  return (await q.execute()).map((r) => r.id)
}

/**
 * Loads what retention needs to know about the given subjects (no ciphertext is read). The
 * erasure instant is the earliest erasure suppression of the subject's number.
 */
export async function loadSubjectFacts(db: Kysely<Database>, ids: readonly string[]): Promise<SubjectFacts[]> {
  if (ids.length === 0) return []
  const byId = new Map<string, MutableFacts>()
  for (const s of await db.selectFrom('subjects').select(['id', 'phone_bidx', 'created_at']).where('id', 'in', ids).execute()) {
    byId.set(s.id, { id: s.id, bidx: s.phone_bidx, createdAt: s.created_at, grants: [], revocations: [], dncEntries: [], reassigned: [], calls: [], erasureAt: null })
  }
  const events = await db.selectFrom('consent_events').select(['id', 'subject_id', 'type', 'seller_key', 'kind', 'at']).where('subject_id', 'in', ids).execute()
  for (const e of events) {
    const s = byId.get(e.subject_id)
    if (!s) continue
    if (e.type === 'grant') s.grants.push({ id: e.id, sellerKey: e.seller_key ?? '', kind: e.kind ?? '', at: e.at })
    else s.revocations.push({ id: e.id, sellerKey: e.seller_key, at: e.at })
  }
  for (const d of await db.selectFrom('dnc_entries').select(['id', 'subject_id', 'seller_key', 'at']).where('subject_id', 'in', ids).execute()) {
    byId.get(d.subject_id)?.dncEntries.push({ id: d.id, sellerKey: d.seller_key, at: d.at })
  }
  for (const k of await db.selectFrom('reassigned_checks').select(['id', 'subject_id', 'date', 'result', 'queried_at']).where('subject_id', 'in', ids).execute()) {
    byId.get(k.subject_id)?.reassigned.push({ id: k.id, date: k.date, result: k.result, queriedAt: k.queried_at })
  }
  for (const c of await db.selectFrom('calls').select(['id', 'subject_id', 'campaign_id', 'seller_key', 'at']).where('subject_id', 'in', ids).execute()) {
    byId.get(c.subject_id)?.calls.push({ id: c.id, campaignId: c.campaign_id, sellerKey: c.seller_key, at: c.at })
  }
  const bidxs = [...byId.values()].map((s) => s.bidx)
  const erasures = await db.selectFrom('suppressions').select(['phone_bidx', 'at']).where('origin', '=', 'erasure').where('phone_bidx', 'in', bidxs).execute()
  const byBidx = new Map([...byId.values()].map((s) => [s.bidx, s]))
  for (const e of erasures) {
    const s = byBidx.get(e.phone_bidx)
    if (s) s.erasureAt = s.erasureAt === null ? e.at : Math.min(s.erasureAt, e.at)
  }
  return ids.flatMap((id) => {
    const s = byId.get(id)
    return s ? [s as SubjectFacts] : []
  })
}
