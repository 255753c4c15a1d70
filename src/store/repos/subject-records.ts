import type { Database, Executor } from '../schema.js'

type Sealed<T, K extends keyof T> = Omit<T, K>

/** `consent_events` rows without (facts) or with (full) their sealed evidence columns. */
export type ConsentRow<S extends boolean> = S extends true ? Database['consent_events'] : Sealed<Database['consent_events'], 'source_ct' | 'ip_ct' | 'user_agent_ct' | 'words_ct' | 'trustedform_ct' | 'leadid_ct'>
export type DncRow<S extends boolean> = S extends true ? Database['dnc_entries'] : Sealed<Database['dnc_entries'], 'source_ct'>
export type SubjectRow<S extends boolean> = S extends true ? Database['subjects'] : Sealed<Database['subjects'], 'phone_ct'>
export type ReassignedRow = Database['reassigned_checks']
/** A call row with the purpose of the campaign that placed it (`null`: the campaign is gone). */
export type CallRow = Database['calls'] & { readonly campaign_purpose: string | null }
export type SuppressionRow = Database['suppressions']
export type ContactRow<S extends boolean> = S extends true ? Database['contacts'] : Sealed<Database['contacts'], 'fields_ct'>

/**
 * Everything stored about one number, keyed by its blind index: the subject row (null when only
 * suppression entries remain, after an erasure) and its ledger, list, reassigned, call and
 * suppression rows, each in the order it happened.
 */
export interface SubjectFile<S extends boolean = false> {
  readonly bidx: string
  readonly subject: SubjectRow<S> | null
  readonly consent: ConsentRow<S>[]
  readonly dnc: DncRow<S>[]
  readonly reassigned: ReassignedRow[]
  readonly calls: CallRow[]
  readonly suppressions: SuppressionRow[]
  /** Contact records (lead data), one per data purpose. */
  readonly contacts: ContactRow<S>[]
}

/** Which numbers to read: one or more blind indexes, subjects by id, or every number on record. */
export type SubjectSelection = { readonly bidx: readonly string[] } | { readonly ids: readonly string[] } | { readonly all: true }

/** What to read. */
export interface ReadOptions<S extends boolean> {
  /** Also read the sealed (encrypted) columns: evidence, export and re-keying need them; the gate does not. */
  readonly sealed: S
  /** Only calls at or after this instant (the gate looks back a bounded time); all calls when omitted. */
  readonly callsSince?: number
}

/** Ids per `IN (…)` list, well below every engine's parameter limit. */
const CHUNK = 400

/**
 * The one reader of subject records: the gate, retention, evidence, export and re-keying all
 * read a number's rows through it, and differ only in what they make of them.
 */
export const subjectRecords = {
  async read<S extends boolean>(ex: Executor, selection: SubjectSelection, options: ReadOptions<S>): Promise<Map<string, SubjectFile<S>>> {
    const files = new Map<string, SubjectFile<S>>()
    const bySubject = new Map<string, SubjectFile<S>>()
    const file = (bidx: string): SubjectFile<S> => {
      let f = files.get(bidx)
      if (!f) {
        f = { bidx, subject: null, consent: [], dnc: [], reassigned: [], calls: [], suppressions: [], contacts: [] }
        files.set(bidx, f)
      }
      return f
    }
    const sealed = options.sealed
    const subjectColumns = sealed ? (['id', 'phone_bidx', 'key_id', 'created_at', 'phone_ct'] as const) : (['id', 'phone_bidx', 'key_id', 'created_at'] as const)

    // 1. The subjects selected, and the blind indexes whose suppressions belong with them.
    const subjectRows: Array<Record<string, unknown> & { id: string; phone_bidx: string }> = []
    if ('all' in selection) {
      subjectRows.push(...((await ex.selectFrom('subjects').select(subjectColumns).execute()) as typeof subjectRows))
    } else {
      const key = 'ids' in selection ? 'id' : 'phone_bidx'
      const values = 'ids' in selection ? selection.ids : selection.bidx
      for (let i = 0; i < values.length; i += CHUNK) {
        subjectRows.push(...((await ex.selectFrom('subjects').select(subjectColumns).where(key, 'in', values.slice(i, i + CHUNK)).execute()) as typeof subjectRows))
      }
    }
    for (const row of subjectRows) {
      const f = file(row.phone_bidx)
      ;(f as { subject: unknown }).subject = row
      bySubject.set(row.id, f)
    }
    if ('bidx' in selection) for (const b of selection.bidx) file(b)

    // 2. The rows of those subjects (all subjects: whole tables, no IN lists).
    const ids = [...bySubject.keys()]
    const eachChunk = async <R extends { subject_id: string }>(load: (chunk: readonly string[] | null) => Promise<R[]>, put: (f: SubjectFile<S>, r: R) => void): Promise<void> => {
      const chunks: Array<readonly string[] | null> = 'all' in selection ? [null] : []
      if (!('all' in selection)) for (let i = 0; i < ids.length; i += CHUNK) chunks.push(ids.slice(i, i + CHUNK))
      for (const chunk of chunks) {
        for (const r of await load(chunk)) {
          const f = bySubject.get(r.subject_id)
          if (f) put(f, r)
        }
      }
    }
    const consentColumns = sealed
      ? (['id', 'subject_id', 'type', 'seller', 'seller_key', 'kind', 'channel', 'via', 'at', 'disclosure_id', 'recorded_at', 'source_ct', 'ip_ct', 'user_agent_ct', 'words_ct', 'trustedform_ct', 'leadid_ct'] as const)
      : (['id', 'subject_id', 'type', 'seller', 'seller_key', 'kind', 'channel', 'via', 'at', 'disclosure_id', 'recorded_at'] as const)
    await eachChunk(
      async (chunk) => {
        let q = ex.selectFrom('consent_events').select(consentColumns)
        if (chunk) q = q.where('subject_id', 'in', chunk)
        return q.orderBy('at').orderBy('recorded_at').orderBy('id').execute()
      },
      (f, r) => f.consent.push(r as ConsentRow<S>),
    )
    const dncColumns = sealed ? (['id', 'subject_id', 'seller', 'seller_key', 'at', 'recorded_at', 'source_ct'] as const) : (['id', 'subject_id', 'seller', 'seller_key', 'at', 'recorded_at'] as const)
    await eachChunk(
      async (chunk) => {
        let q = ex.selectFrom('dnc_entries').select(dncColumns)
        if (chunk) q = q.where('subject_id', 'in', chunk)
        return q.orderBy('at').orderBy('id').execute()
      },
      (f, r) => f.dnc.push(r as DncRow<S>),
    )
    await eachChunk(
      async (chunk) => {
        let q = ex.selectFrom('reassigned_checks').selectAll()
        if (chunk) q = q.where('subject_id', 'in', chunk)
        return q.orderBy('date').orderBy('id').execute()
      },
      (f, r) => f.reassigned.push(r),
    )
    await eachChunk(
      async (chunk) => {
        let q = ex
          .selectFrom('calls')
          .leftJoin('campaigns', 'campaigns.id', 'calls.campaign_id')
          .selectAll('calls')
          .select('campaigns.purpose as campaign_purpose')
        if (chunk) q = q.where('calls.subject_id', 'in', chunk)
        if (options.callsSince !== undefined) q = q.where('calls.at', '>=', options.callsSince)
        return q.orderBy('calls.at').orderBy('calls.id').execute()
      },
      (f, r) => f.calls.push(r),
    )

    const contactColumns = sealed
      ? (['id', 'subject_id', 'purpose', 'verified_at', 'fields', 'created_at', 'updated_at', 'fields_ct'] as const)
      : (['id', 'subject_id', 'purpose', 'verified_at', 'fields', 'created_at', 'updated_at'] as const)
    await eachChunk(
      async (chunk) => {
        let q = ex.selectFrom('contacts').select(contactColumns)
        if (chunk) q = q.where('subject_id', 'in', chunk)
        return q.orderBy('purpose').orderBy('id').execute()
      },
      (f, r) => f.contacts.push(r as ContactRow<S>),
    )

    // 3. Suppression entries, by blind index (they outlive the subject they replaced).
    if ('all' in selection) {
      for (const r of await ex.selectFrom('suppressions').selectAll().orderBy('at').orderBy('id').execute()) file(r.phone_bidx).suppressions.push(r)
    } else {
      const bidxs = [...files.keys()]
      for (let i = 0; i < bidxs.length; i += CHUNK) {
        for (const r of await ex.selectFrom('suppressions').selectAll().where('phone_bidx', 'in', bidxs.slice(i, i + CHUNK)).orderBy('at').orderBy('id').execute()) {
          file(r.phone_bidx).suppressions.push(r)
        }
      }
    }
    return files
  },

  /** The ids of subjects after `afterId` (exclusive), in id order: retention walks subjects page by page. */
  async idPage(ex: Executor, afterId: string | null, limit: number): Promise<string[]> {
    let q = ex.selectFrom('subjects').select('id').orderBy('id').limit(limit)
    if (afterId !== null) q = q.where('id', '>', afterId)
    return (await q.execute()).map((r) => r.id)
  },
}
