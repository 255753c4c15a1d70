import type { Database, Executor } from '../schema.js'
import type { Capabilities } from '../dialects/capabilities.js'
import type { DataKey } from './data-keys.js'
import type { Sealer } from './sealer.js'
import { rowId } from '../row-id.js'
import { rowLedger } from './row-ledger.js'

/** A row of an import refused for its number, to quarantine. */
export interface QuarantineEntry {
  readonly row: number
  readonly purpose: string
  /** Why, as a code and a message that never repeats the input (`INVALID_NUMBER: too few digits`). */
  readonly reason: string
  /** The number as the file gave it (sealed), or `null` when there was none. */
  readonly phone: string | null
  /** The kept fields of the row (sealed as JSON); the dropped ones are never stored. */
  readonly fields: Readonly<Record<string, string>>
}

/** A quarantined row as stored. */
export type QuarantineRow = Database['contact_quarantine']

/** The row-ledger scope of quarantined rows (the gate never reads them, so it has no head). */
const QUARANTINE_SCOPE = 'quarantine'

const PHONE = (id: string) => ({ table: 'contact_quarantine', rowId: id, column: 'phone_ct' }) as const
const FIELDS = (id: string) => ({ table: 'contact_quarantine', rowId: id, column: 'fields_ct' }) as const

/**
 * Quarantined import rows (`contact_quarantine`): rows whose number is invalid, kept for review
 * with the reason, their number as given and their kept fields sealed under a data key of their
 * import (destroyed when the import's last quarantined row goes).
 */
export class ContactQuarantineRepo {
  readonly #sealer: Sealer
  readonly #dialect: Capabilities

  constructor(sealer: Sealer, dialect: Capabilities) {
    this.#sealer = sealer
    this.#dialect = dialect
  }

  /** Quarantines rows of an import in bulk inside the caller's transaction; returns their ids in order. */
  async addMany(trx: Executor, importId: string, key: DataKey, entries: readonly QuarantineEntry[], now: number): Promise<string[]> {
    const rows: QuarantineRow[] = entries.map((e) => {
      const id = rowId('qr')
      return {
        id,
        import_id: importId,
        row_number: e.row,
        purpose: e.purpose,
        reason: e.reason,
        key_id: key.id,
        phone_ct: e.phone === null ? null : this.#sealer.sealWith(key, PHONE(id), e.phone),
        fields_ct: Object.keys(e.fields).length === 0 ? null : this.#sealer.sealWith(key, FIELDS(id), JSON.stringify(e.fields)),
        created_at: now,
      }
    })
    await this.#dialect.insertMany(trx, 'contact_quarantine', rows)
    rowLedger.inserted(trx, 'contact_quarantine', rows, QUARANTINE_SCOPE)
    return rows.map((r) => r.id)
  }

  /** Quarantined rows, newest import first, then by row (at most `limit`). */
  list(ex: Executor, limit: number): Promise<QuarantineRow[]> {
    return ex.selectFrom('contact_quarantine').selectAll().orderBy('created_at', 'desc').orderBy('import_id').orderBy('row_number').limit(limit).execute()
  }

  /** How many rows are quarantined, and the oldest. */
  async summary(ex: Executor): Promise<{ rows: number; oldest: number | null }> {
    const r = await ex.selectFrom('contact_quarantine').select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min('created_at').as('oldest')]).executeTakeFirst()
    return { rows: Number(r?.n ?? 0), oldest: r?.oldest === null || r?.oldest === undefined ? null : Number(r.oldest) }
  }

  /** The number and fields of a quarantined row decrypted (an audited read is the caller's duty). */
  async open(ex: Executor, row: QuarantineRow): Promise<{ phone: string | null; fields: Record<string, string> }> {
    const fields = await this.#sealer.open(ex, FIELDS(row.id), row.fields_ct)
    return { phone: await this.#sealer.open(ex, PHONE(row.id), row.phone_ct), fields: fields === null ? {} : (JSON.parse(fields) as Record<string, string>) }
  }

  /** Ids and keys of up to `limit` rows quarantined before `before` (due for deletion). */
  due(ex: Executor, before: number, limit: number): Promise<Array<{ id: string; key_id: string; created_at: number }>> {
    return ex.selectFrom('contact_quarantine').select(['id', 'key_id', 'created_at']).where('created_at', '<', before).orderBy('created_at').orderBy('id').limit(limit).execute()
  }

  /** Creation instants of every quarantined row (retention forecasts). */
  async createdInstants(ex: Executor): Promise<number[]> {
    return (await ex.selectFrom('contact_quarantine').select('created_at').execute()).map((r) => Number(r.created_at))
  }

  /** Deletes quarantined rows by id; returns how many went. */
  async deleteIds(trx: Executor, ids: readonly string[]): Promise<number> {
    let n = 0
    for (let i = 0; i < ids.length; i += 400) {
      const rows = await trx.deleteFrom('contact_quarantine').where('id', 'in', ids.slice(i, i + 400)).returningAll().execute()
      rowLedger.deleted(trx, 'contact_quarantine', rows, QUARANTINE_SCOPE)
      n += rows.length
    }
    return n
  }

  /** Whether any quarantined row is still sealed under a key. */
  async keyInUse(ex: Executor, keyId: string): Promise<boolean> {
    return (await ex.selectFrom('contact_quarantine').select('id').where('key_id', '=', keyId).limit(1).executeTakeFirst()) !== undefined
  }
}
