import { createHash, randomUUID } from 'node:crypto'
import { statSync } from 'node:fs'
import { formatInstant } from '../../core/time/instant.js'
import { DialwardError, invalidInput } from '../../core/errors.js'
import { parseRegistryId } from '../../core/dnc/registry-id.js'
import { digestChunks } from '../../core/dnc/page-codec.js'
import { readRegistryFile, RegistryFileError } from '../../registry/read-registry-file.js'
import { encryptField } from '../../crypto/envelope.js'
import { writeTransaction } from '../../store/write-transaction.js'
import { appendAudit } from '../audit/audit-trail.js'
import { requireDate, requireText } from '../input.js'
import type { App } from '../open-app.js'
import { pageAad } from '../gate/registry-pages.js'

export interface RegistryImportInput {
  [flag: string]: unknown
  registry?: unknown
  file?: unknown
  asOf?: unknown
  skipInvalid?: unknown
}

/**
 * Imports a registry file as a new version with its as-of date. The whole file is parsed before
 * anything is written; a malformed line refuses the file (naming the line) and the previous
 * version stays in force. Pages are stored encrypted under the version's own data key, in one
 * transaction, so a version is visible whole or not at all.
 */
export async function importRegistry(app: App, input: RegistryImportInput): Promise<Record<string, unknown>> {
  const registryId = canonicalRegistryId(requireText('--registry', input.registry, 40))
  const info = parseRegistryId(registryId)
  if (!info) throw invalidInput('--registry', 'must be us-national, us-state-XX (a US state code), ca-national or uk-tps')
  const path = requireText('--file', input.file, 4_096)
  const asOf = requireDate('--as-of', input.asOf)
  try {
    if (!statSync(path).isFile()) throw new Error('not a file')
  } catch {
    throw invalidInput('--file', `cannot read ${path}`)
  }
  let parsed: Awaited<ReturnType<typeof readRegistryFile>>
  try {
    parsed = await readRegistryFile(path, registryId, { skipInvalid: input.skipInvalid === true })
  } catch (err) {
    if (err instanceof RegistryFileError) throw new DialwardError('usage', 'INVALID_REGISTRY_FILE', (err as Error).message)
    throw err
  }
  const { bitset } = parsed
  const prefixes = bitset.prefixes()
  const content = createHash('sha256')
  for (const chunk of digestChunks(bitset)) content.update(chunk)
  const contentSha256 = content.digest('hex')
  const now = app.now()
  const id = `reg_${randomUUID()}`
  await writeTransaction(app.db, app.dialect, async (trx) => {
    const key = await app.dataKeys.create(trx, 'registry', now)
    await trx
      .insertInto('registry_versions')
      .values({ id, registry: registryId, as_of: asOf, imported_at: now, key_id: key.id, numbers: bitset.size, lines: parsed.lines, content_sha256: contentSha256 })
      .execute()
    const batch: { version_id: string; prefix: number; page_ct: Buffer }[] = []
    const flush = async (): Promise<void> => {
      if (batch.length > 0) await trx.insertInto('registry_pages').values(batch.splice(0)).execute()
    }
    for (const prefix of prefixes) {
      const page = bitset.page(prefix)!
      batch.push({ version_id: id, prefix, page_ct: encryptField(key.key, key.id, pageAad(id, prefix), Buffer.from(page.buffer, page.byteOffset, page.byteLength)) })
      if (batch.length >= 1_000) await flush()
    }
    await flush()
    await appendAudit(trx, app.dialect, app.config.actor, now, {
      action: 'registry.import',
      subject: null,
      data: { version: id, registry: registryId, asOf: formatInstant(asOf).slice(0, 10), numbers: bitset.size, lines: parsed.lines, skipped: parsed.skipped, contentSha256 },
    })
  })
  return {
    id,
    registry: registryId,
    asOf: formatInstant(asOf).slice(0, 10),
    numbers: bitset.size,
    lines: parsed.lines,
    duplicates: parsed.duplicates,
    skipped: parsed.skipped,
    contentSha256,
  }
}

/** Registry ids as the contract spells them: lower case, with the state code of `us-state-XX` upper case. */
function canonicalRegistryId(raw: string): string {
  const t = raw.trim()
  const state = /^us-state-([a-z]{2})$/i.exec(t)
  return state ? `us-state-${state[1]!.toUpperCase()}` : t.toLowerCase()
}
