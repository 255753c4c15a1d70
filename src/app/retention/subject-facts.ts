import type { SubjectFacts } from '../../core/retention/retention-facts.js'
import type { Executor } from '../../store/schema.js'
import type { SubjectFile, subjectRecords } from '../../store/repos/subject-records.js'
import { fieldTimes } from '../../store/repos/contacts.js'
import { SUBJECT_PAGE } from './deps.js'

/**
 * What retention needs to know about a subject, from its rows as `subjectRecords.read` returns
 * them (no ciphertext): its records' clocks, and the instant of its earliest erasure request.
 * `null` when only suppression entries remain (no subject row).
 */
export function retentionFacts(file: SubjectFile<boolean>): SubjectFacts | null {
  const s = file.subject
  if (s === null) return null
  let erasureAt: number | null = null
  for (const e of file.suppressions) if (e.origin === 'erasure') erasureAt = erasureAt === null ? e.at : Math.min(erasureAt, e.at)
  return {
    id: s.id,
    bidx: s.phone_bidx,
    createdAt: s.created_at,
    grants: file.consent.filter((e) => e.type === 'grant').map((e) => ({ id: e.id, sellerKey: e.seller_key ?? '', kind: e.kind ?? '', at: e.at })),
    revocations: file.consent.filter((e) => e.type === 'revoke').map((e) => ({ id: e.id, sellerKey: e.seller_key, at: e.at })),
    dncEntries: file.dnc.map((d) => ({ id: d.id, sellerKey: d.seller_key, at: d.at })),
    reassigned: file.reassigned.map((k) => ({ id: k.id, date: k.date, result: k.result, queriedAt: k.queried_at })),
    calls: file.calls.map((c) => ({ id: c.id, campaignId: c.campaign_id, sellerKey: c.seller_key, at: c.at })),
    erasureAt,
    contacts: file.contacts.map((c) => ({ id: c.id, purpose: c.purpose, createdAt: c.created_at, verifiedAt: c.verified_at, fields: fieldTimes(c) })),
  }
}

/** The retention facts of the given subjects, in the order of `ids` (subjects no longer stored are left out). */
export async function factsOf(records: typeof subjectRecords, ex: Executor, ids: readonly string[]): Promise<SubjectFacts[]> {
  if (ids.length === 0) return []
  const byId = new Map<string, SubjectFacts>()
  for (const file of (await records.read(ex, { ids }, { sealed: false })).values()) {
    const f = retentionFacts(file)
    if (f) byId.set(f.id, f)
  }
  return ids.flatMap((id) => byId.get(id) ?? [])
}

/** Every subject's retention facts, a page of subjects at a time, in id order. */
export async function* factPages(records: typeof subjectRecords, ex: Executor): AsyncGenerator<SubjectFacts[]> {
  let after: string | null = null
  for (;;) {
    const ids = await records.idPage(ex, after, SUBJECT_PAGE)
    if (ids.length === 0) return
    after = ids[ids.length - 1]!
    yield await factsOf(records, ex, ids)
  }
}
