import type { Database, Executor } from '../schema.js'
import type { Capabilities } from '../dialects/capabilities.js'
import type { ContactValues, FieldValue } from '../../core/contacts/contact-values.js'
import type { Subject } from './subjects.js'
import type { DataKey } from './data-keys.js'
import type { Sealer } from './sealer.js'
import type { ContactRow } from './subject-records.js'
import { deleteSubjectRows } from './delete-rows.js'
import { rowId } from '../row-id.js'
import { rowLedger, subjectScope } from './row-ledger.js'

/** Where a contact's values are sealed. */
const VALUES = (id: string) => ({ table: 'contacts', rowId: id, column: 'fields_ct' }) as const
/** Where the value a correction replaced is sealed inside its audit entry. */
const PREVIOUS = (id: string, field: string) => ({ table: 'audit_log', rowId: id, column: `previous.${field}` }) as const

/** A contact to insert: the subject, its data key when just created, and the values. */
export interface NewContact {
  readonly subject: Subject
  /** The subject's data key when the caller holds it (a subject created in this transaction). */
  readonly key: DataKey | null
  readonly purpose: string
  readonly verifiedAt: number
  readonly values: ContactValues
}

/** A contact of a purpose with its number's subject, for lists (both still sealed). */
export interface ContactListRow {
  readonly contact: ContactRow<true>
  readonly subjectId: string
  readonly bidx: string
  readonly phoneCt: Buffer
}

/** The field names and verification instants of a contact (its `fields` column). */
export function fieldTimes(row: { readonly fields: string }): Record<string, number> {
  const parsed: unknown = JSON.parse(row.fields)
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, number>) : {}
}

const timesOf = (values: ContactValues): string => JSON.stringify(Object.fromEntries(Object.entries(values).map(([f, v]) => [f, v.verifiedAt])))
const plainOf = (values: ContactValues): string => JSON.stringify(Object.fromEntries(Object.entries(values).map(([f, v]) => [f, v.value])))

/**
 * Contact records (`contacts`): one per subject and data purpose. Which fields are kept and when
 * each was last verified is plain (`fields`: names and instants); the values are one JSON object
 * sealed under the subject's data key (`fields_ct`). A value a correction replaces is kept only
 * sealed under the same key inside the correction's audit entry, so erasing the subject erases it.
 */
export class ContactsRepo {
  readonly #sealer: Sealer
  readonly #dialect: Capabilities

  constructor(sealer: Sealer, dialect: Capabilities) {
    this.#sealer = sealer
    this.#dialect = dialect
  }

  /** The contact records of a purpose for the given subjects, with their sealed values, by subject id. */
  async forSubjects(ex: Executor, subjectIds: readonly string[], purpose: string): Promise<Map<string, ContactRow<true>>> {
    const out = new Map<string, ContactRow<true>>()
    for (let i = 0; i < subjectIds.length; i += 400) {
      const rows = await ex.selectFrom('contacts').selectAll().where('purpose', '=', purpose).where('subject_id', 'in', subjectIds.slice(i, i + 400)).execute()
      for (const r of rows) out.set(r.subject_id, r)
    }
    return out
  }

  /** Every contact record of one subject, with sealed values. */
  ofSubject(ex: Executor, subjectId: string): Promise<ContactRow<true>[]> {
    return ex.selectFrom('contacts').selectAll().where('subject_id', '=', subjectId).orderBy('purpose').execute()
  }

  /** Inserts new contact records in bulk inside the caller's transaction; returns their ids in order. */
  async insertMany(trx: Executor, contacts: readonly NewContact[], now: number): Promise<string[]> {
    const rows: Database['contacts'][] = []
    for (const c of contacts) {
      const id = rowId('ct')
      const plain = plainOf(c.values)
      const sealed = Object.keys(c.values).length === 0 ? null : c.key ? this.#sealer.sealWith(c.key, VALUES(id), plain) : await this.#sealer.seal(trx, c.subject.keyId, VALUES(id), plain)
      rows.push({ id, subject_id: c.subject.id, purpose: c.purpose, verified_at: c.verifiedAt, fields: timesOf(c.values), fields_ct: sealed, created_at: now, updated_at: now })
    }
    await this.#dialect.insertMany(trx, 'contacts', rows)
    rows.forEach((row, i) => rowLedger.inserted(trx, 'contacts', [row], subjectScope(contacts[i]!.subject.bidx)))
    return rows.map((r) => r.id)
  }

  /** Replaces a contact's values and verification instant (a merge or a correction), sealed under the subject's key. */
  async update(trx: Executor, row: ContactRow<boolean>, subject: Subject, values: ContactValues, verifiedAt: number, now: number): Promise<void> {
    const sealed = Object.keys(values).length === 0 ? null : await this.#sealer.seal(trx, subject.keyId, VALUES(row.id), plainOf(values))
    const set = { verified_at: verifiedAt, fields: timesOf(values), fields_ct: sealed, updated_at: now }
    await trx.updateTable('contacts').set(set).where('id', '=', row.id).execute()
    rowLedger.updated(trx, 'contacts', { id: row.id, subject_id: row.subject_id, purpose: row.purpose, created_at: row.created_at, ...set }, subjectScope(subject.bidx))
  }

  /** A contact's values decrypted, each with its verification instant (an audited read of PII is the caller's duty). */
  async openValues(ex: Executor, row: ContactRow<true>): Promise<ContactValues> {
    const times = fieldTimes(row)
    const text = await this.#sealer.open(ex, VALUES(row.id), row.fields_ct)
    const plain = text === null ? {} : (JSON.parse(text) as Record<string, string>)
    const out: Record<string, FieldValue> = {}
    for (const [f, value] of Object.entries(plain)) out[f] = { value, verifiedAt: times[f] ?? row.verified_at }
    return out
  }

  /** Removes fields from a contact that stays (retention), re-sealing the rest under the subject's current key. */
  async dropFields(trx: Executor, row: ContactRow<true>, subject: Subject, fields: readonly string[], now: number): Promise<void> {
    const values: Record<string, FieldValue> = { ...(await this.openValues(trx, row)) }
    for (const f of fields) delete values[f]
    await this.update(trx, row, subject, values, row.verified_at, now)
  }

  /** Seals a value a correction replaces, for its audit entry (base64), under the subject's key. */
  async sealPrevious(ex: Executor, subject: Subject, contactId: string, field: string, value: string): Promise<string> {
    return (await this.#sealer.seal(ex, subject.keyId, PREVIOUS(contactId, field), value))!.toString('base64')
  }

  /** Opens a value a correction replaced, from its audit entry (fails with `KEY_UNAVAILABLE` once the subject's key is destroyed). */
  openPrevious(ex: Executor, contactId: string, field: string, sealed: string): Promise<string | null> {
    return this.#sealer.open(ex, PREVIOUS(contactId, field), Buffer.from(sealed, 'base64'))
  }

  /** Re-seals a subject's contact values under a fresh data key (re-keying the subject). */
  async rekey(trx: Executor, rows: readonly ContactRow<true>[], fresh: DataKey): Promise<void> {
    for (const r of rows) {
      if (r.fields_ct === null) continue
      const fieldsCt = await this.#sealer.reseal(trx, VALUES(r.id), r.fields_ct, fresh)
      await trx.updateTable('contacts').set({ fields_ct: fieldsCt }).where('id', '=', r.id).execute()
      rowLedger.updated(trx, 'contacts', { ...r, fields_ct: fieldsCt })
    }
  }

  /** Deletes contact records of one subject by id; returns how many went. */
  deleteIds(trx: Executor, subjectId: string, ids: readonly string[]): Promise<number> {
    return deleteSubjectRows(trx, 'contacts', subjectId, ids)
  }

  /**
   * A page of a purpose's contacts in id order after `afterId`, with their subjects' sealed
   * numbers; `verifiedBefore` keeps only those last verified before that instant (stale ones).
   */
  async page(ex: Executor, purpose: string, afterId: string | null, limit: number, verifiedBefore?: number): Promise<ContactListRow[]> {
    let q = ex
      .selectFrom('contacts')
      .innerJoin('subjects', 'subjects.id', 'contacts.subject_id')
      .select(['contacts.id', 'contacts.subject_id', 'contacts.purpose', 'contacts.verified_at', 'contacts.fields', 'contacts.fields_ct', 'contacts.created_at', 'contacts.updated_at', 'subjects.phone_bidx', 'subjects.phone_ct'])
      .where('contacts.purpose', '=', purpose)
      .orderBy('contacts.id')
      .limit(limit)
    if (afterId !== null) q = q.where('contacts.id', '>', afterId)
    if (verifiedBefore !== undefined) q = q.where('contacts.verified_at', '<', verifiedBefore)
    return (await q.execute()).map((r) => ({
      contact: { id: r.id, subject_id: r.subject_id, purpose: r.purpose, verified_at: r.verified_at, fields: r.fields, fields_ct: r.fields_ct, created_at: r.created_at, updated_at: r.updated_at },
      subjectId: r.subject_id,
      bidx: r.phone_bidx,
      phoneCt: r.phone_ct,
    }))
  }

  /** Contact records per purpose: how many, the oldest created and the least recently verified. */
  async summary(ex: Executor): Promise<Array<{ purpose: string; contacts: number; oldest: number | null; leastRecentlyVerified: number | null }>> {
    const rows = await ex
      .selectFrom('contacts')
      .select(['purpose', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min('created_at').as('oldest'), (eb) => eb.fn.min('verified_at').as('verified')])
      .groupBy('purpose')
      .orderBy('purpose')
      .execute()
    return rows.map((r) => ({ purpose: r.purpose, contacts: Number(r.n), oldest: r.oldest === null ? null : Number(r.oldest), leastRecentlyVerified: r.verified === null ? null : Number(r.verified) }))
  }
}
