import type { Database, Executor } from '../schema.js'
import type { Capabilities } from '../dialects/capabilities.js'
import type { Phone } from '../../core/phone/phone.js'
import type { BlindIndexer } from '../../crypto/blind-index.js'
import type { DataKey, DataKeys } from './data-keys.js'
import type { SubjectRow } from './subject-records.js'
import type { Sealer } from './sealer.js'
import { rowLedger, subjectScope } from './row-ledger.js'
import { rowId } from '../row-id.js'

/** A data subject: one telephone number, its blind index and its own data key. */
export interface Subject {
  readonly id: string
  readonly bidx: string
  readonly keyId: string
}

/** Where a subject's number is sealed. */
const PHONE = (id: string) => ({ table: 'subjects', rowId: id, column: 'phone_ct' }) as const

/**
 * Subjects (`subjects`): one row per telephone number ever recorded, found by keyed blind index,
 * its number sealed under the subject's own data key.
 */
export class SubjectsRepo {
  readonly #index: BlindIndexer
  readonly #keys: DataKeys
  readonly #sealer: Sealer
  readonly #dialect: Capabilities

  constructor(index: BlindIndexer, keys: DataKeys, sealer: Sealer, dialect: Capabilities) {
    this.#index = index
    this.#keys = keys
    this.#sealer = sealer
    this.#dialect = dialect
  }

  /** The blind index of a number (how every table refers to it without storing it). */
  bidxOf(phone: Phone): string {
    return this.#index.phone(phone.e164)
  }

  /** How many subjects are stored. */
  async count(ex: Executor): Promise<number> {
    const row = await ex.selectFrom('subjects').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst()
    return Number(row?.n ?? 0)
  }

  /** The blind index of a canonical E.164 number. */
  bidxOfE164(e164: string): string {
    return this.#index.phone(e164)
  }

  async findByBidx(ex: Executor, bidx: string): Promise<Subject | null> {
    const row = await ex.selectFrom('subjects').select(['id', 'key_id']).where('phone_bidx', '=', bidx).executeTakeFirst()
    return row ? { id: row.id, bidx, keyId: row.key_id } : null
  }

  async find(ex: Executor, phone: Phone): Promise<Subject | null> {
    return this.findByBidx(ex, this.bidxOf(phone))
  }

  /** Finds or creates the subject of a number; a new one gets a fresh data key and its number sealed under it. */
  async ensure(trx: Executor, phone: Phone, now: number): Promise<Subject> {
    const found = await this.find(trx, phone)
    if (found) return found
    const id = rowId('sub')
    const bidx = this.bidxOf(phone)
    const key = await this.#keys.create(trx, 'subject', now)
    const phoneCt = this.#sealer.sealWith(key, PHONE(id), phone.e164)
    const row = { id, phone_bidx: bidx, key_id: key.id, phone_ct: phoneCt, created_at: now }
    await trx.insertInto('subjects').values(row).execute()
    rowLedger.inserted(trx, 'subjects', [row], subjectScope(bidx))
    return { id, bidx, keyId: key.id }
  }

  /** The subjects of many blind indexes that exist (one query per 400). */
  async findMany(ex: Executor, bidxs: readonly string[]): Promise<Map<string, Subject>> {
    const out = new Map<string, Subject>()
    for (let i = 0; i < bidxs.length; i += 400) {
      const rows = await ex.selectFrom('subjects').select(['id', 'phone_bidx', 'key_id']).where('phone_bidx', 'in', bidxs.slice(i, i + 400)).execute()
      for (const r of rows) out.set(r.phone_bidx, { id: r.id, bidx: r.phone_bidx, keyId: r.key_id })
    }
    return out
  }

  /**
   * Finds or creates the subjects of many numbers in one transaction (a bulk import chunk): one
   * lookup for all of them, then the new ones with fresh data keys and their numbers sealed,
   * inserted in bulk. Returns every subject by blind index, with the data key of each new one in
   * hand (`created`), so the caller can seal its rows without unwrapping it again, and the blind index
   * of each number in the order given (`bidxs`).
   */
  async ensureMany(trx: Executor, phones: readonly Phone[], now: number): Promise<{ subjects: Map<string, Subject>; created: Map<string, DataKey>; bidxs: string[] }> {
    const bidxs = phones.map((p) => this.bidxOf(p))
    const byBidx = new Map<string, Phone>()
    phones.forEach((p, i) => byBidx.set(bidxs[i]!, p))
    const subjects = await this.findMany(trx, [...byBidx.keys()])
    const missing = [...byBidx.entries()].filter(([b]) => !subjects.has(b))
    const created = new Map<string, DataKey>()
    if (missing.length === 0) return { subjects, created, bidxs }
    const { keys, rows } = this.#keys.mint('subject', missing.length, now)
    const subjectRows: Database['subjects'][] = missing.map(([bidx, phone], i) => {
      const id = rowId('sub')
      const key = keys[i]!
      subjects.set(bidx, { id, bidx, keyId: key.id })
      created.set(bidx, key)
      return { id, phone_bidx: bidx, key_id: key.id, phone_ct: this.#sealer.sealWith(key, PHONE(id), phone.e164), created_at: now }
    })
    await this.#dialect.insertMany(trx, 'data_keys', rows)
    await this.#dialect.insertMany(trx, 'subjects', subjectRows)
    for (const row of subjectRows) rowLedger.inserted(trx, 'subjects', [row], subjectScope(row.phone_bidx))
    return { subjects, created, bidxs }
  }

  /** Seals one column of a row under the subject's data key (`null` stays `null`). */
  seal(ex: Executor, subject: Subject, table: string, rowId: string, column: string, value: string | null): Promise<Buffer | null> {
    return this.#sealer.seal(ex, subject.keyId, { table, rowId, column }, value)
  }

  /** Opens one sealed column of a row under the subject's data key (see `Sealer.open`). */
  open(ex: Executor, table: string, rowId: string, column: string, blob: Uint8Array | null): Promise<string | null> {
    return this.#sealer.open(ex, { table, rowId, column }, blob)
  }

  /**
   * Every subject's number in the clear, by subject id (bulk scrubbing builds its in-memory "has
   * any record" set from them; the caller audits the read). Subjects whose key was destroyed or
   * does not open are left out.
   */
  async phones(ex: Executor): Promise<Map<string, string>> {
    const rows = await ex.selectFrom('subjects').select(['id', 'key_id', 'phone_ct']).execute()
    await this.#keys.preload(ex, rows.map((r) => r.key_id))
    const out = new Map<string, string>()
    for (const r of rows) {
      try {
        out.set(r.id, (await this.#sealer.open(ex, PHONE(r.id), r.phone_ct))!)
      } catch {
        // a destroyed or unreadable key: the caller falls back to the blind index
      }
    }
    return out
  }

  /** The subject's number in the clear (an audited read of PII is the caller's duty). */
  async openPhone(ex: Executor, id: string, phoneCt: Uint8Array): Promise<string> {
    return (await this.#sealer.open(ex, PHONE(id), phoneCt))!
  }

  /** Moves a subject to a fresh data key: its number is re-sealed under `fresh` (the old key is the caller's to destroy). */
  async rekey(trx: Executor, row: SubjectRow<true>, fresh: DataKey): Promise<void> {
    const phoneCt = (await this.#sealer.reseal(trx, PHONE(row.id), row.phone_ct, fresh))!
    await trx.updateTable('subjects').set({ key_id: fresh.id, phone_ct: phoneCt }).where('id', '=', row.id).execute()
    rowLedger.updated(trx, 'subjects', { ...row, key_id: fresh.id, phone_ct: phoneCt }, subjectScope(row.phone_bidx))
  }

  /** Deletes a subject row (its data key is the caller's to destroy in the same transaction). */
  async delete(trx: Executor, id: string): Promise<void> {
    rowLedger.deleted(trx, 'subjects', await trx.deleteFrom('subjects').where('id', '=', id).returningAll().execute())
  }
}
