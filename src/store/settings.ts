import type { Kysely } from 'kysely'
import type { Database } from './schema.js'

/** One value of the `settings` table, or `null` when it was never set. */
export async function getSetting(db: Kysely<Database>, key: string): Promise<string | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst()
  return row?.value ?? null
}
