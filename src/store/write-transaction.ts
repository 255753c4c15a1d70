import type { Kysely } from 'kysely'
import type { Database } from './schema.js'
import type { Capabilities } from './dialects/capabilities.js'

/** Legacy bridge (removed once every service writes through the unit of work): the dialect's write transaction. */
export function writeTransaction<T>(_db: Kysely<Database>, dialect: Capabilities, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return dialect.writeTransaction(fn)
}
