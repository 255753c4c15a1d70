import type { Executor } from '../schema.js'
import { PagedBitset } from '../../core/dnc/paged-bitset.js'
import type { DataKey } from './data-keys.js'
import type { Sealer } from './sealer.js'
import { registryScope, rowLedger } from './row-ledger.js'

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

  async insertVersion(trx: Executor, v: RegistryVersionRecord): Promise<void> {
    const row = { id: v.id, registry: v.registry, as_of: v.asOf, imported_at: v.importedAt, key_id: v.keyId, numbers: v.numbers, lines: v.lines, content_sha256: v.contentSha256 }
    await trx.insertInto('registry_versions').values(row).execute()
    rowLedger.inserted(trx, 'registry_versions', [row], 'registries')
  }

  /** A page row sealed under the version's key, ready for bulk load. */
  sealPage(key: DataKey, versionId: string, prefix: number, page: Uint8Array): SealedPage {
    return { version_id: versionId, prefix, page_ct: this.#sealer.sealWith(key, PAGE(versionId, prefix), Buffer.from(page.buffer, page.byteOffset, page.byteLength)) }
  }

  /**
   * Inserts sealed pages of one version inside the caller's audited write (multi-row inserts of up
   * to 1,000 pages); the pages are recorded as one aggregate per call (`<version>#<lo>-<hi>`), so
   * calls must give each version's pages in ascending prefix order (a bounded, batched import calls
   * it once per batch, each batch in its own unit of work).
   */
  async insertPages(trx: Executor, pages: readonly SealedPage[]): Promise<void> {
    if (pages.length === 0) return
    for (let i = 1; i < pages.length; i++) {
      if (pages[i]!.version_id !== pages[0]!.version_id || pages[i]!.prefix <= pages[i - 1]!.prefix) throw new Error('registry pages must be inserted per version in ascending prefix order')
    }
    for (let i = 0; i < pages.length; i += 1_000) await trx.insertInto('registry_pages').values(pages.slice(i, i + 1_000)).execute()
    const v = pages[0]!.version_id
    rowLedger.aggregate(trx, 'registry_pages', `${v}#${pages[0]!.prefix}-${pages.at(-1)!.prefix}`, registryScope(v), pages as unknown as ReadonlyArray<Record<string, unknown>>)
  }

  /** Deletes up to `limit` pages of a version; returns how many went (fewer than `limit`: none are left). */
  async deletePages(trx: Executor, versionId: string, limit: number): Promise<number> {
    const prefixes = (await trx.selectFrom('registry_pages').select('prefix').where('version_id', '=', versionId).limit(limit).execute()).map((p) => p.prefix)
    rowLedger.deletedAll(trx, 'registry_pages', `${versionId}#*`, registryScope(versionId))
    if (prefixes.length > 0) await trx.deleteFrom('registry_pages').where('version_id', '=', versionId).where('prefix', 'in', prefixes).execute()
    return prefixes.length
  }

  /** Deletes a version's row (its pages first, with `deletePages`); `false` when it was gone already. */
  async deleteVersion(trx: Executor, versionId: string): Promise<boolean> {
    const rows = await trx.deleteFrom('registry_versions').where('id', '=', versionId).returningAll().execute()
    rowLedger.deleted(trx, 'registry_versions', rows, 'registries')
    return rows.length > 0
  }

  /** Whether one number is on a version: reads and decrypts one page. */
  async isListed(ex: Executor, version: RegistryVersion, national: number): Promise<boolean> {
    const { prefix, offset } = pageKey(national)
    const row = await ex.selectFrom('registry_pages').select('page_ct').where('version_id', '=', version.id).where('prefix', '=', prefix).executeTakeFirst()
    if (!row) return false
    const page = (await this.#sealer.openBytes(ex, PAGE(version.id, prefix), row.page_ct))!
    return (page[offset >> 3]! & (1 << (offset & 7))) !== 0
  }

  /** A version's whole paged bitset, rebuilt from its pages (`onPage` sees each stored page row, e.g. to verify them against their head). */
  async bitset(ex: Executor, version: RegistryVersion, onPage?: (row: SealedPage) => void): Promise<PagedBitset> {
    const bitset = new PagedBitset()
    const rows = await ex.selectFrom('registry_pages').select(['prefix', 'page_ct']).where('version_id', '=', version.id).execute()
    for (const row of rows) {
      onPage?.({ version_id: version.id, prefix: row.prefix, page_ct: row.page_ct })
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
