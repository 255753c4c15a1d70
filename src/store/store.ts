import { existsSync } from 'node:fs'
import type { Kysely } from 'kysely'
import type { Database } from './schema.js'
import type { Capabilities } from './dialects/capabilities.js'
import { openSqlite } from './dialects/sqlite.js'
import { openPostgres } from './dialects/postgres.js'

/** Where the data lives: an embedded SQLite file (default) or a PostgreSQL server. */
export type DatabaseTarget = { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'postgres'; readonly url: string }

/** An open database: the query builder and the engine's named capabilities. */
export interface Store {
  readonly db: Kysely<Database>
  readonly dialect: Capabilities
  close(): Promise<void>
}

/** Opens the database a target names (the only place that chooses an engine). */
export async function openStore(target: DatabaseTarget): Promise<Store> {
  return target.kind === 'sqlite' ? openSqlite(target.path) : openPostgres(target.url)
}

/**
 * Whether the database a target names exists already. The embedded file is looked for; a
 * server's database always counts as existing (the server says otherwise when it is opened).
 */
export function storeExists(target: DatabaseTarget): boolean {
  return target.kind === 'postgres' || existsSync(target.path)
}
