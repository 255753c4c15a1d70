import { createHash, randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../store/schema.js'
import { encryptField } from '../crypto/envelope.js'
import type { App } from './open-app.js'

/**
 * Stores a disclosure text once per distinct text, encrypted, with the SHA-256 of its exact
 * UTF-8 bytes, so the wording a consumer was shown can be proven later. Returns the row id and hash.
 */
export async function ensureDisclosure(app: App, trx: Kysely<Database>, text: string, now: number): Promise<{ id: string; sha256: string }> {
  const sha256 = createHash('sha256').update(text, 'utf8').digest('hex')
  const existing = await trx.selectFrom('disclosures').select('id').where('sha256', '=', sha256).executeTakeFirst()
  if (existing) return { id: existing.id, sha256 }
  const keyRow = await trx.selectFrom('data_keys').select('id').where('scope', '=', 'disclosures').where('destroyed_at', 'is', null).executeTakeFirst()
  const key = keyRow ? { id: keyRow.id, key: await app.dataKeys.get(trx, keyRow.id) } : await app.dataKeys.create(trx, 'disclosures', now)
  const id = `dis_${randomUUID()}`
  const textCt = encryptField(key.key, key.id, { table: 'disclosures', rowId: id, column: 'text_ct' }, text)
  await trx.insertInto('disclosures').values({ id, sha256, key_id: key.id, text_ct: textCt, created_at: now }).execute()
  return { id, sha256 }
}
