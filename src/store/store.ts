import { existsSync, statSync } from 'node:fs'
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

/**
 * What identifies the stored data a target names, now: the embedded file's device and inode
 * (`missing`, or `not a file`, when it is gone or replaced by something else); a server's database
 * is identified by its target alone. A long-lived process compares it with what it opened: an
 * open SQLite file that was deleted or replaced would otherwise go on answering (and taking writes
 * nobody will ever read).
 */
export function storeIdentity(target: DatabaseTarget): string {
  if (target.kind === 'postgres') return 'server'
  try {
    const s = statSync(target.path)
    return s.isFile() ? `${s.dev}:${s.ino}` : 'not a file'
  } catch {
    return 'missing'
  }
}
