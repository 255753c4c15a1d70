import type { Executor } from '../../store/schema.js'
import type { Repositories } from '../../store/repos/index.js'
import { DialwardError } from '../../core/errors.js'

/**
 * Moves a living subject to a fresh data key and destroys the old one, inside the caller's
 * transaction: every sealed field still stored (read through `subjectRecords.read`) is decrypted
 * and re-sealed under the new key by the repository that owns its column. Whatever was encrypted
 * under the old key and is no longer stored (purged rows, their copies in dead tuples, WAL frames,
 * free pages, backups once the KEK in force then is retired) can no longer be decrypted.
 * Returns the destroyed key id.
 */
export async function rekeySubject(repos: Repositories, trx: Executor, subjectId: string, now: number): Promise<string> {
  const [file] = (await repos.subjectRecords.read(trx, { ids: [subjectId] }, { sealed: true })).values()
  const subject = file?.subject ?? null
  if (!file || subject === null) throw new DialwardError('INTERNAL', `re-keying: subject ${subjectId} is not stored`)
  const oldId = subject.key_id
  const fresh = await repos.dataKeys.create(trx, 'subject', now)
  await repos.subjects.rekey(trx, subject, fresh)
  await repos.consent.rekey(trx, file.consent, fresh)
  await repos.dnc.rekey(trx, file.dnc, fresh)
  await repos.contacts.rekey(trx, file.contacts, fresh)
  await repos.dataKeys.destroy(trx, oldId, now)
  return oldId
}
