import type { Database, Executor } from '../schema.js'
import { rowLedger } from './row-ledger.js'

/** An API key as stored: metadata and the SHA-256 of its secret (never the secret). */
export type ApiKeyRow = Database['api_keys']

/** API keys (`api_keys`). */
export const apiKeysRepo = {
  async insert(trx: Executor, row: ApiKeyRow): Promise<void> {
    await trx.insertInto('api_keys').values(row).execute()
    rowLedger.inserted(trx, 'api_keys', [row], 'apikeys')
  },

  async get(ex: Executor, id: string): Promise<ApiKeyRow | null> {
    return (await ex.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst()) ?? null
  },

  async list(ex: Executor): Promise<ApiKeyRow[]> {
    return ex.selectFrom('api_keys').selectAll().orderBy('created_at').orderBy('id').execute()
  },

  /** Marks a key revoked at `at`; returns whether it was live before. */
  async revoke(trx: Executor, id: string, at: number): Promise<boolean> {
    const rows = await trx.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).returningAll().execute()
    for (const r of rows) rowLedger.updated(trx, 'api_keys', r, 'apikeys')
    return rows.length > 0
  },

  /** Bookkeeping, not an audited change: when a key was last used (written at most once a minute per key). */
  async touch(ex: Executor, id: string, at: number): Promise<void> {
    await ex.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute()
  },
}
