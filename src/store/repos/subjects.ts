import { randomUUID } from 'node:crypto'
import type { Executor } from '../schema.js'
import type { Phone } from '../../core/phone/phone.js'
import type { BlindIndexer } from '../../crypto/blind-index.js'
import type { DataKey, DataKeys } from './data-keys.js'
import type { SubjectRow } from './subject-records.js'
import type { Sealer } from './sealer.js'

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

  constructor(index: BlindIndexer, keys: DataKeys, sealer: Sealer) {
    this.#index = index
    this.#keys = keys
    this.#sealer = sealer
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
    const id = `sub_${randomUUID()}`
    const bidx = this.bidxOf(phone)
    const key = await this.#keys.create(trx, 'subject', now)
    const phoneCt = this.#sealer.sealWith(key, PHONE(id), phone.e164)
    await trx.insertInto('subjects').values({ id, phone_bidx: bidx, key_id: key.id, phone_ct: phoneCt, created_at: now }).execute()
    return { id, bidx, keyId: key.id }
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
  }

  /** Deletes a subject row (its data key is the caller's to destroy in the same transaction). */
  async delete(trx: Executor, id: string): Promise<void> {
    await trx.deleteFrom('subjects').where('id', '=', id).execute()
  }
}
