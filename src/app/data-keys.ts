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
    const wrapped = this.#provider.wrap(key, aadFor(id))
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
      throw new DialwardError('integrity', 'KEY_UNAVAILABLE', `data key ${id} is missing or destroyed`)
    }
    const key = this.#provider.unwrap({ kekId: row.kek_id, alg: row.alg, blob: Buffer.from(row.wrapped) }, aadFor(id))
    this.#cache.set(id, key)
    return key
  }
}

function aadFor(id: string): string {
  return `data_keys|${id}|wrapped`
}
