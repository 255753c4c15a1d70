import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../store/schema.js'
import type { Phone } from '../core/phone/phone.js'
import { encryptField } from '../crypto/envelope.js'
import type { App } from './open-app.js'

/** A data subject: one telephone number, its blind index and its own data key. */
export interface Subject {
  readonly id: string
  readonly bidx: string
  readonly keyId: string
}

/** Looks a number up by its blind index. */
export async function findSubject(app: App, db: Kysely<Database>, phone: Phone): Promise<Subject | null> {
  const bidx = app.blindIndexer.phone(phone.e164)
  const row = await db.selectFrom('subjects').select(['id', 'key_id']).where('phone_bidx', '=', bidx).executeTakeFirst()
  return row ? { id: row.id, bidx, keyId: row.key_id } : null
}

/** Finds or creates the subject for a number; a new subject gets a fresh data key and its number encrypted under it. */
export async function ensureSubject(app: App, trx: Kysely<Database>, phone: Phone, now: number): Promise<Subject> {
  const found = await findSubject(app, trx, phone)
  if (found) return found
  const id = `sub_${randomUUID()}`
  const bidx = app.blindIndexer.phone(phone.e164)
  const key = await app.dataKeys.create(trx, 'subject', now)
  const phoneCt = encryptField(key.key, key.id, { table: 'subjects', rowId: id, column: 'phone_ct' }, phone.e164)
  await trx.insertInto('subjects').values({ id, phone_bidx: bidx, key_id: key.id, phone_ct: phoneCt, created_at: now }).execute()
  return { id, bidx, keyId: key.id }
}

/** Encrypts an optional field of a row under the subject's data key (`null` stays `null`). */
export async function sealForSubject(
  app: App,
  db: Kysely<Database>,
  subject: Subject,
  table: string,
  rowId: string,
  column: string,
  value: string | null,
): Promise<Buffer | null> {
  if (value === null) return null
  const key = await app.dataKeys.get(db, subject.keyId)
  return encryptField(key, subject.keyId, { table, rowId, column }, value)
}
