import type { Kysely } from 'kysely'
import type { Database } from '../../store/schema.js'
import { decryptField } from '../../crypto/envelope.js'
import { PagedBitset } from '../../core/dnc/paged-bitset.js'
import type { DataKeys } from '../data-keys.js'
import type { RegistryVersion } from './registry-versions.js'

/** Where a number falls in a paged registry: its page (number without the last 4 digits) and bit. */
export function pageKey(national: number): { prefix: number; offset: number } {
  const prefix = Math.floor(national / 10_000)
  return { prefix, offset: national - prefix * 10_000 }
}

/** AAD context of an encrypted registry page. */
export function pageAad(versionId: string, prefix: number): { table: string; rowId: string; column: string } {
  return { table: 'registry_pages', rowId: `${versionId}:${prefix}`, column: 'page_ct' }
}

/** Whether one number is on a registry version: reads and decrypts one page (the check path). */
export async function isListed(db: Kysely<Database>, keys: DataKeys, version: RegistryVersion, national: number): Promise<boolean> {
  const { prefix, offset } = pageKey(national)
  const row = await db
    .selectFrom('registry_pages')
    .select('page_ct')
    .where('version_id', '=', version.id)
    .where('prefix', '=', prefix)
    .executeTakeFirst()
  if (!row) return false
  const page = decryptField(await keys.get(db, version.keyId), version.keyId, pageAad(version.id, prefix), Buffer.from(row.page_ct))
  return (page[offset >> 3]! & (1 << (offset & 7))) !== 0
}

/** Rebuilds a registry version's whole in-memory paged bitset from the database (the scrub path). */
export async function loadBitset(db: Kysely<Database>, keys: DataKeys, version: RegistryVersion): Promise<PagedBitset> {
  const key = await keys.get(db, version.keyId)
  const bitset = new PagedBitset()
  const rows = await db.selectFrom('registry_pages').select(['prefix', 'page_ct']).where('version_id', '=', version.id).execute()
  for (const row of rows) {
    const page = decryptField(key, version.keyId, pageAad(version.id, row.prefix), Buffer.from(row.page_ct))
    bitset.setPage(row.prefix, new Uint8Array(page.buffer, page.byteOffset, page.byteLength))
  }
  return bitset
}
