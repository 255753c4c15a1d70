import { createHash } from 'node:crypto'
import type { Executor } from '../schema.js'
import type { DataKeys } from './data-keys.js'
import type { Sealer } from './sealer.js'
import { rowLedger } from './row-ledger.js'
import { rowId } from '../row-id.js'

/** A disclosure text as recorded: its id and the SHA-256 of its exact UTF-8 bytes. */
export interface DisclosureRef {
  readonly id: string
  readonly sha256: string
}

const TEXT = (id: string) => ({ table: 'disclosures', rowId: id, column: 'text_ct' }) as const

/**
 * Disclosure texts (`disclosures`): each distinct wording stored once, sealed under the shared
 * disclosures key, with the SHA-256 of its exact bytes, so the wording a consumer was shown can be
 * proven later.
 */
export class DisclosuresRepo {
  readonly #keys: DataKeys
  readonly #sealer: Sealer

  constructor(keys: DataKeys, sealer: Sealer) {
    this.#keys = keys
    this.#sealer = sealer
  }

  async ensure(trx: Executor, text: string, now: number): Promise<DisclosureRef> {
    const sha256 = createHash('sha256').update(text, 'utf8').digest('hex')
    const existing = await trx.selectFrom('disclosures').select('id').where('sha256', '=', sha256).executeTakeFirst()
    if (existing) return { id: existing.id, sha256 }
    const key = await this.#keys.shared(trx, 'disclosures', now)
    const id = rowId('dis')
    const row = { id, sha256, key_id: key.id, text_ct: this.#sealer.sealWith(key, TEXT(id), text), created_at: now }
    await trx.insertInto('disclosures').values(row).execute()
    rowLedger.inserted(trx, 'disclosures', [row], 'disclosures')
    return { id, sha256 }
  }

  /** Deletes up to `limit` disclosure texts no consent event refers to any more; returns how many went (fewer than `limit`: none are left). */
  async deleteUnreferenced(trx: Executor, limit = 400): Promise<number> {
    const orphans = await trx
      .selectFrom('disclosures')
      .select('id')
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('consent_events').select('consent_events.id').whereRef('consent_events.disclosure_id', '=', 'disclosures.id'))))
      .orderBy('id')
      .limit(limit)
      .execute()
    const ids = orphans.map((o) => o.id)
    if (ids.length > 0) rowLedger.deleted(trx, 'disclosures', await trx.deleteFrom('disclosures').where('id', 'in', ids).returningAll().execute())
    return ids.length
  }

  /** The recorded SHA-256 of a disclosure text (readable after its key was destroyed). */
  async hashOf(ex: Executor, id: string): Promise<string> {
    return (await ex.selectFrom('disclosures').select('sha256').where('id', '=', id).executeTakeFirstOrThrow()).sha256
  }

  /** The recorded hash and the text in the clear; fails with `KEY_UNAVAILABLE` once the disclosures key was destroyed. */
  async open(ex: Executor, id: string): Promise<{ sha256: string; text: string | null }> {
    const d = await ex.selectFrom('disclosures').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    return { sha256: d.sha256, text: await this.#sealer.open(ex, TEXT(d.id), d.text_ct) }
  }
}
