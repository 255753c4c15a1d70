import { randomBytes } from 'node:crypto'
import type { Database, Executor } from '../schema.js'
import type { KeyProvider } from '../../crypto/key-provider.js'
import { newDataKey } from '../../crypto/envelope.js'
import { DialwardError } from '../../core/errors.js'
import { rowId } from '../row-id.js'

/** A data key in the clear, with its id. */
export interface DataKey {
  readonly id: string
  readonly key: Buffer
}

/** What a data key protects: one subject's PII, one registry version, disclosure texts, hold reasons. */
export type DataKeyScope = 'subject' | 'registry' | 'disclosures' | 'holds' | 'quarantine'

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
    const id = rowId('dk')
    const key = newDataKey()
    const wrapped = this.#provider.wrap(key, dataKeyAad(id))
    await trx
      .insertInto('data_keys')
      .values({ id, scope, kek_id: wrapped.kekId, alg: wrapped.alg, wrapped: wrapped.blob, created_at: now, destroyed_at: null })
      .execute()
    this.#cache.set(id, key)
    return { id, key }
  }

  /**
   * Makes `n` new data keys for a bulk write: the keys and the `data_keys` rows that store them
   * wrapped (the caller inserts the rows in its transaction). They are not cached: a bulk import
   * of a million subjects must not hold a million keys; a later read unwraps the one it needs.
   */
  mint(scope: DataKeyScope, n: number, now: number): { keys: DataKey[]; rows: Database['data_keys'][] } {
    const material = randomBytes(32 * n)
    const keys: DataKey[] = []
    const rows: Database['data_keys'][] = []
    for (let i = 0; i < n; i++) {
      const id = rowId('dk')
      const key = material.subarray(32 * i, 32 * (i + 1))
      const wrapped = this.#provider.wrap(key, dataKeyAad(id))
      keys.push({ id, key })
      rows.push({ id, scope, kek_id: wrapped.kekId, alg: wrapped.alg, wrapped: wrapped.blob, created_at: now, destroyed_at: null })
    }
    return { keys, rows }
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
    const key = unwrapRow(this.#provider, { id, kek_id: row.kek_id, alg: row.alg, wrapped: row.wrapped })
    this.#cache.set(id, key)
    return key
  }

  /** Live (not destroyed) data keys per KEK id: what a rotation still has to re-wrap, and the key inventory. */
  async countByKek(ex: Executor): Promise<Map<string, number>> {
    const rows = await ex
      .selectFrom('data_keys')
      .select(['kek_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('wrapped', 'is not', null)
      .groupBy('kek_id')
      .execute()
    return new Map(rows.map((r) => [r.kek_id, Number(r.n)]))
  }

  /** The KEK ids the given data keys are (or, destroyed, were last) wrapped under, sorted; the row keeps its KEK id when the key is destroyed. */
  async keksOf(ex: Executor, ids: readonly string[]): Promise<string[]> {
    const out = new Set<string>()
    for (let i = 0; i < ids.length; i += 400) {
      for (const r of await ex.selectFrom('data_keys').select('kek_id').distinct().where('id', 'in', ids.slice(i, i + 400)).execute()) out.add(r.kek_id)
    }
    return [...out].sort()
  }

  /**
   * Re-wraps up to `limit` live data keys not yet under `target`'s active KEK, inside the caller's
   * transaction, without changing any key: each row moves from (old KEK, old wrap) to (new KEK,
   * new wrap) in one update, so it always unwraps under the KEK it names. `target` must hold the
   * old KEKs too. Returns the keys moved (in id order) with the KEK each was under; fails with
   * `KEY_UNAVAILABLE` when a key does not unwrap.
   */
  async rewrap(trx: Executor, target: KeyProvider, limit: number): Promise<Array<{ id: string; from: string }>> {
    const active = target.activeKekId()
    const rows = await trx
      .selectFrom('data_keys')
      .select(['id', 'kek_id', 'alg', 'wrapped'])
      .where('kek_id', '!=', active)
      .where('wrapped', 'is not', null)
      .orderBy('id')
      .limit(limit)
      .execute()
    const moved: Array<{ id: string; from: string }> = []
    for (const r of rows) {
      const dek = unwrapRow(target, { id: r.id, kek_id: r.kek_id, alg: r.alg, wrapped: r.wrapped! })
      const w = target.wrap(dek, dataKeyAad(r.id))
      dek.fill(0)
      await trx.updateTable('data_keys').set({ kek_id: w.kekId, alg: w.alg, wrapped: w.blob }).where('id', '=', r.id).where('kek_id', '=', r.kek_id).execute()
      moved.push({ id: r.id, from: r.kek_id })
    }
    return moved
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
   * stamped, in the caller's transaction; the cached copy is forgotten at once. Idempotent:
   * returns whether this call destroyed it (`false` when it was destroyed already).
   */
  async destroy(trx: Executor, id: string, now: number): Promise<boolean> {
    this.#cache.delete(id)
    const r = await trx.updateTable('data_keys').set({ wrapped: null, destroyed_at: now }).where('id', '=', id).where('destroyed_at', 'is', null).executeTakeFirst()
    return Number(r.numUpdatedRows) > 0
  }

  /** Forgets every cached key (another process changed data keys). */
  invalidate(): void {
    this.#cache.clear()
  }
}

/** Unwraps one stored data key; a key that does not unwrap is `KEY_UNAVAILABLE` (fail closed). */
function unwrapRow(provider: KeyProvider, row: { id: string; kek_id: string; alg: string; wrapped: Uint8Array }): Buffer {
  try {
    return provider.unwrap({ kekId: row.kek_id, alg: row.alg, blob: Buffer.from(row.wrapped) }, dataKeyAad(row.id))
  } catch (err) {
    throw new DialwardError('KEY_UNAVAILABLE', `data key ${row.id} does not unwrap under KEK ${row.kek_id}: ${err instanceof Error ? err.message : String(err)}`)
  }
}

/** The AAD a data key is wrapped with: binds the wrapped bytes to their row. */
export function dataKeyAad(id: string): string {
  return `data_keys|${id}|wrapped`
}
