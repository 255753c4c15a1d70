import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../store/schema.js'
import type { KeyProvider } from '../crypto/key-provider.js'
import { newDataKey } from '../crypto/envelope.js'
import { DialwardError } from '../core/errors.js'

/**
 * Data keys (DEKs): random AES-256 keys stored only wrapped by the key-encryption key. One per
 * subject (crypto-shredding a person), one per registry version, one for disclosure texts.
 * Unwrapped keys are cached for the life of the process only.
 */
export class DataKeys {
  readonly #provider: KeyProvider
  readonly #cache = new Map<string, Buffer>()

  constructor(provider: KeyProvider) {
    this.#provider = provider
  }

  /** Creates, wraps and stores a new data key; returns its id and the key. */
  async create(db: Kysely<Database>, scope: string, now: number): Promise<{ id: string; key: Buffer }> {
    const id = `dk_${randomUUID()}`
    const key = newDataKey()
    const wrapped = this.#provider.wrap(key, dataKeyAad(id))
    await db
      .insertInto('data_keys')
      .values({ id, scope, kek_id: wrapped.kekId, alg: wrapped.alg, wrapped: wrapped.blob, created_at: now, destroyed_at: null })
      .execute()
    this.#cache.set(id, key)
    return { id, key }
  }

  /** The unwrapped key for an id; fails closed when the key was destroyed or cannot be unwrapped. */
  async get(db: Kysely<Database>, id: string): Promise<Buffer> {
    const cached = this.#cache.get(id)
    if (cached) return cached
    const row = await db.selectFrom('data_keys').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row || row.wrapped === null || row.destroyed_at !== null) {
      throw new DialwardError('unavailable', 'KEY_UNAVAILABLE', `data key ${id} is missing or destroyed`)
    }
    const key = this.#provider.unwrap({ kekId: row.kek_id, alg: row.alg, blob: Buffer.from(row.wrapped) }, dataKeyAad(id))
    this.#cache.set(id, key)
    return key
  }

  /**
   * Destroys a data key (cryptographic erase): the wrapped key is dropped and `destroyed_at`
   * stamped, in the caller's transaction; the cached copy is forgotten. Idempotent.
   */
  async destroy(db: Kysely<Database>, id: string, now: number): Promise<void> {
    this.#cache.delete(id)
    await db.updateTable('data_keys').set({ wrapped: null, destroyed_at: now }).where('id', '=', id).where('destroyed_at', 'is', null).execute()
  }
}

/** The AAD a data key is wrapped with: binds the wrapped bytes to their row. */
export function dataKeyAad(id: string): string {
  return `data_keys|${id}|wrapped`
}
