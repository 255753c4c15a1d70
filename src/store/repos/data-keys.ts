import { randomUUID } from 'node:crypto'
import type { Executor } from '../schema.js'
import type { KeyProvider } from '../../crypto/key-provider.js'
import { newDataKey } from '../../crypto/envelope.js'
import { DialwardError } from '../../core/errors.js'

/** A data key in the clear, with its id. */
export interface DataKey {
  readonly id: string
  readonly key: Buffer
}

/** What a data key protects: one subject's PII, one registry version, disclosure texts, hold reasons. */
export type DataKeyScope = 'subject' | 'registry' | 'disclosures' | 'holds'

/**
 * Data keys (DEKs): random AES-256 keys stored only wrapped by the key-encryption key. One per
 * subject (crypto-shredding a person), one per registry version, one for disclosure texts, one
 * for hold reasons. Unwrapped keys are cached for the life of the process; the cache is
 * version-stamped by the `keys` change counter (see `invalidate`), so a key another process
 * destroyed is never used after this process has seen the counter move.
 */
export class DataKeys {
  readonly #provider: KeyProvider
  readonly #cache = new Map<string, Buffer>()

  constructor(provider: KeyProvider) {
    this.#provider = provider
  }

  /** Creates, wraps and stores a new data key inside the caller's transaction. */
  async create(trx: Executor, scope: DataKeyScope, now: number): Promise<DataKey> {
    const id = `dk_${randomUUID()}`
    const key = newDataKey()
    const wrapped = this.#provider.wrap(key, dataKeyAad(id))
    await trx
      .insertInto('data_keys')
      .values({ id, scope, kek_id: wrapped.kekId, alg: wrapped.alg, wrapped: wrapped.blob, created_at: now, destroyed_at: null })
      .execute()
    this.#cache.set(id, key)
    return { id, key }
  }

  /** The one live key of a shared scope (disclosures, holds), created on first use. */
  async shared(trx: Executor, scope: 'disclosures' | 'holds', now: number): Promise<DataKey> {
    const row = await trx.selectFrom('data_keys').select('id').where('scope', '=', scope).where('destroyed_at', 'is', null).orderBy('created_at').executeTakeFirst()
    return row ? { id: row.id, key: await this.get(trx, row.id) } : this.create(trx, scope, now)
  }

  /** The unwrapped key for an id; fails closed (`KEY_UNAVAILABLE`) when it was destroyed or does not unwrap. */
  async get(ex: Executor, id: string): Promise<Buffer> {
    const cached = this.#cache.get(id)
    if (cached) return cached
    const row = await ex.selectFrom('data_keys').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row || row.wrapped === null || row.destroyed_at !== null) {
      throw new DialwardError('KEY_UNAVAILABLE', `data key ${id} is missing or destroyed`)
    }
    let key: Buffer
    try {
      key = this.#provider.unwrap({ kekId: row.kek_id, alg: row.alg, blob: Buffer.from(row.wrapped) }, dataKeyAad(id))
    } catch (err) {
      throw new DialwardError('KEY_UNAVAILABLE', `data key ${id} does not unwrap under KEK ${row.kek_id}: ${err instanceof Error ? err.message : String(err)}`)
    }
    this.#cache.set(id, key)
    return key
  }

  /**
   * Unwraps many keys with one query per 400 ids (bulk readers: scrubbing decrypts every
   * subject's number once). Keys that are missing, destroyed or do not unwrap are left out (a
   * later `get` fails closed for them).
   */
  async preload(ex: Executor, ids: readonly string[]): Promise<void> {
    const wanted = [...new Set(ids)].filter((id) => !this.#cache.has(id))
    for (let i = 0; i < wanted.length; i += 400) {
      const rows = await ex.selectFrom('data_keys').selectAll().where('id', 'in', wanted.slice(i, i + 400)).execute()
      for (const row of rows) {
        if (row.wrapped === null || row.destroyed_at !== null) continue
        try {
          this.#cache.set(row.id, this.#provider.unwrap({ kekId: row.kek_id, alg: row.alg, blob: Buffer.from(row.wrapped) }, dataKeyAad(row.id)))
        } catch {
          // left out: `get` reports it
        }
      }
    }
  }

  /**
   * Destroys a data key (cryptographic erase): the wrapped key is dropped and `destroyed_at`
   * stamped, in the caller's transaction; the cached copy is forgotten at once. Idempotent.
   */
  async destroy(trx: Executor, id: string, now: number): Promise<void> {
    this.#cache.delete(id)
    await trx.updateTable('data_keys').set({ wrapped: null, destroyed_at: now }).where('id', '=', id).where('destroyed_at', 'is', null).execute()
  }

  /** Forgets every cached key (another process changed data keys). */
  invalidate(): void {
    this.#cache.clear()
  }
}

/** The AAD a data key is wrapped with: binds the wrapped bytes to their row. */
export function dataKeyAad(id: string): string {
  return `data_keys|${id}|wrapped`
}
