import type { Executor } from '../schema.js'
import { PagedBitset } from '../../core/dnc/paged-bitset.js'
import type { DataKey } from './data-keys.js'
import type { Sealer } from './sealer.js'

/** One imported registry version (metadata only). */
export interface RegistryVersion {
  readonly id: string
  readonly registry: string
  readonly asOf: number
  readonly importedAt: number
  readonly keyId: string
}

/** A version's row as written at import. */
export interface RegistryVersionRecord extends RegistryVersion {
  readonly numbers: number
  readonly lines: number
  readonly contentSha256: string
}

/** A registry page row, sealed. */
export interface SealedPage {
  readonly version_id: string
  readonly prefix: number
  readonly page_ct: Buffer
}

/** Where a number falls in a paged registry: its page (number without the last 4 digits) and bit. */
export function pageKey(national: number): { prefix: number; offset: number } {
  const prefix = Math.floor(national / 10_000)
  return { prefix, offset: national - prefix * 10_000 }
}

const PAGE = (versionId: string, prefix: number) => ({ table: 'registry_pages', rowId: `${versionId}:${prefix}`, column: 'page_ct' }) as const

/**
 * Registry versions (`registry_versions`) and their pages (`registry_pages`): one 1,250-byte
 * bitset page per NPA-NXX, sealed under the version's own data key.
 */
export class RegistriesRepo {
  readonly #sealer: Sealer

  constructor(sealer: Sealer) {
    this.#sealer = sealer
  }

  /** Every imported version, oldest first (one row per import: the table is small). */
  async versions(ex: Executor): Promise<RegistryVersion[]> {
    const rows = await ex.selectFrom('registry_versions').select(['id', 'registry', 'as_of', 'imported_at', 'key_id']).orderBy('as_of').orderBy('imported_at').execute()
    return rows.map((r) => ({ id: r.id, registry: r.registry, asOf: r.as_of, importedAt: r.imported_at, keyId: r.key_id }))
  }

  /** Every version with its number count (the freshness table), oldest first. */
  async versionStamps(ex: Executor): Promise<Array<RegistryVersion & { readonly numbers: number }>> {
    const rows = await ex.selectFrom('registry_versions').select(['id', 'registry', 'as_of', 'imported_at', 'key_id', 'numbers']).orderBy('as_of').orderBy('imported_at').execute()
    return rows.map((r) => ({ id: r.id, registry: r.registry, asOf: Number(r.as_of), importedAt: Number(r.imported_at), keyId: r.key_id, numbers: Number(r.numbers) }))
  }

  async insertVersion(trx: Executor, v: RegistryVersionRecord): Promise<void> {
    await trx
      .insertInto('registry_versions')
      .values({ id: v.id, registry: v.registry, as_of: v.asOf, imported_at: v.importedAt, key_id: v.keyId, numbers: v.numbers, lines: v.lines, content_sha256: v.contentSha256 })
      .execute()
  }

  /** A page row sealed under the version's key, ready for bulk load. */
  sealPage(key: DataKey, versionId: string, prefix: number, page: Uint8Array): SealedPage {
    return { version_id: versionId, prefix, page_ct: this.#sealer.sealWith(key, PAGE(versionId, prefix), Buffer.from(page.buffer, page.byteOffset, page.byteLength)) }
  }

  /** Inserts sealed pages inside the caller's transaction (multi-row inserts of up to 1,000 pages). */
  async insertPages(trx: Executor, pages: readonly SealedPage[]): Promise<void> {
    for (let i = 0; i < pages.length; i += 1_000) await trx.insertInto('registry_pages').values(pages.slice(i, i + 1_000)).execute()
  }

  /** Deletes up to `limit` pages of a version; returns how many went (fewer than `limit`: none are left). */
  async deletePages(trx: Executor, versionId: string, limit: number): Promise<number> {
    const prefixes = (await trx.selectFrom('registry_pages').select('prefix').where('version_id', '=', versionId).limit(limit).execute()).map((p) => p.prefix)
    if (prefixes.length > 0) await trx.deleteFrom('registry_pages').where('version_id', '=', versionId).where('prefix', 'in', prefixes).execute()
    return prefixes.length
  }

  /** Deletes a version's row (its pages first, with `deletePages`); `false` when it was gone already. */
  async deleteVersion(trx: Executor, versionId: string): Promise<boolean> {
    return Number((await trx.deleteFrom('registry_versions').where('id', '=', versionId).executeTakeFirst()).numDeletedRows) > 0
  }

  /** Whether one number is on a version: reads and decrypts one page. */
  async isListed(ex: Executor, version: RegistryVersion, national: number): Promise<boolean> {
    const { prefix, offset } = pageKey(national)
    const row = await ex.selectFrom('registry_pages').select('page_ct').where('version_id', '=', version.id).where('prefix', '=', prefix).executeTakeFirst()
    if (!row) return false
    const page = (await this.#sealer.openBytes(ex, PAGE(version.id, prefix), row.page_ct))!
    return (page[offset >> 3]! & (1 << (offset & 7))) !== 0
  }

  /** A version's whole paged bitset, rebuilt from its pages. */
  async bitset(ex: Executor, version: RegistryVersion): Promise<PagedBitset> {
    const bitset = new PagedBitset()
    const rows = await ex.selectFrom('registry_pages').select(['prefix', 'page_ct']).where('version_id', '=', version.id).execute()
    for (const row of rows) {
      const page = (await this.#sealer.openBytes(ex, PAGE(version.id, row.prefix), row.page_ct))!
      bitset.setPage(row.prefix, new Uint8Array(page.buffer, page.byteOffset, page.byteLength))
    }
    return bitset
  }
}

/**
 * The version of a registry in force at an instant: the newest as-of date at or before it
 * (the latest import wins a tie). When every version is dated after the instant, the oldest of
 * them is used (a list is never ignored). `null` when the registry was never imported.
 */
export function versionInForce(versions: readonly RegistryVersion[], registry: string, at: number): RegistryVersion | null {
  let best: RegistryVersion | null = null
  let earliestFuture: RegistryVersion | null = null
  for (const v of versions) {
    if (v.registry !== registry) continue
    if (v.asOf <= at) {
      if (!best || v.asOf > best.asOf || (v.asOf === best.asOf && v.importedAt >= best.importedAt)) best = v
    } else if (!earliestFuture || v.asOf < earliestFuture.asOf) {
      earliestFuture = v
    }
  }
  return best ?? earliestFuture
}
