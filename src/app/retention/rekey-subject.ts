import type { Kysely } from 'kysely'
import type { Database } from '../../store/schema.js'
import { decryptField, encryptField } from '../../crypto/envelope.js'
import type { App } from '../open-app.js'

const EVENT_COLUMNS = ['source_ct', 'ip_ct', 'user_agent_ct', 'words_ct'] as const

/**
 * Moves a living subject to a fresh data key and destroys the old one, inside the caller's
 * transaction: every field still stored is decrypted and re-encrypted under the new key. Whatever
 * was encrypted under the old key and is no longer stored (purged rows, their copies in dead
 * tuples, WAL frames, free pages, backups once the KEK in force then is retired) can no longer be
 * decrypted. Returns the destroyed key id.
 */
export async function rekeySubject(app: App, trx: Kysely<Database>, subjectId: string, now: number): Promise<string> {
  const subject = await trx.selectFrom('subjects').select(['id', 'key_id', 'phone_ct']).where('id', '=', subjectId).executeTakeFirstOrThrow()
  const oldId = subject.key_id
  const oldKey = await app.dataKeys.get(trx, oldId)
  const fresh = await app.dataKeys.create(trx, 'subject', now)
  const move = (table: string, rowId: string, column: string, blob: Uint8Array | null): Buffer | null => {
    if (blob === null) return null
    const plain = decryptField(oldKey, oldId, { table, rowId, column }, blob)
    try {
      return encryptField(fresh.key, fresh.id, { table, rowId, column }, plain)
    } finally {
      plain.fill(0)
    }
  }
  await trx
    .updateTable('subjects')
    .set({ key_id: fresh.id, phone_ct: move('subjects', subject.id, 'phone_ct', subject.phone_ct)! })
    .where('id', '=', subject.id)
    .execute()
  const events = await trx.selectFrom('consent_events').select(['id', ...EVENT_COLUMNS]).where('subject_id', '=', subjectId).execute()
  for (const e of events) {
    const set: Partial<Record<(typeof EVENT_COLUMNS)[number], Buffer | null>> = {}
    for (const c of EVENT_COLUMNS) if (e[c] !== null) set[c] = move('consent_events', e.id, c, e[c])
    if (Object.keys(set).length > 0) await trx.updateTable('consent_events').set(set).where('id', '=', e.id).execute()
  }
  const dnc = await trx.selectFrom('dnc_entries').select(['id', 'source_ct']).where('subject_id', '=', subjectId).where('source_ct', 'is not', null).execute()
  for (const d of dnc) await trx.updateTable('dnc_entries').set({ source_ct: move('dnc_entries', d.id, 'source_ct', d.source_ct) }).where('id', '=', d.id).execute()
  await app.dataKeys.destroy(trx, oldId, now)
  return oldId
}
