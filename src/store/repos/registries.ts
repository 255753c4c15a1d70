import type { Executor } from '../schema.js'
import { PagedBitset } from '../../core/dnc/paged-bitset.js'
import { PackedRegistry, type AreaBlock } from '../../core/dnc/packed-registry.js'
import { encodeArea } from '../../core/dnc/area-encoding.js'
import { coverageFromJson, coverageToJson, versionInForceFor, type Coverage } from '../../core/dnc/coverage.js'
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
  /** The area codes it covers (a version stored before coverage existed covers the whole registry). */
  readonly coverage: Coverage
  /** How its numbers are stored: one block per area code, or (before migration 0006) one page per NPA-NXX. */
  readonly layout: 'areas' | 'pages'
  /** Distinct numbers it lists. */
  readonly numbers: number
  /** SHA-256 of its coverage and blocks (the import report's `contentSha256`). */
  readonly contentSha256: string
}

/** A version's row as written at import. */
export interface RegistryVersionRecord {
  readonly id: string
  readonly registry: string
  readonly asOf: number
  readonly importedAt: number
  readonly keyId: string
  readonly coverage: Coverage
  readonly numbers: number
  readonly lines: number
  readonly contentSha256: string
  /** The import report (JSON-able). */
  readonly details: Record<string, unknown>
}

/** A registry row of `registry_pages`, sealed: one area's block (`prefix` = area code). */
export interface SealedPage {
  readonly version_id: string
  readonly prefix: number
  readonly page_ct: Buffer
}

const WHOLE: Coverage = Object.freeze({ full: true, areas: new Map<number, number>() })

/** Where a legacy (pages) number falls: its page (number without the last 4 digits). */
const LEGACY_PAGE = (versionId: string, prefix: number) => ({ table: 'registry_pages', rowId: `${versionId}:${prefix}`, column: 'page_ct' }) as const
/** Where an area block is sealed. */
const BLOCK = (versionId: string, area: number) => ({ table: 'registry_pages', rowId: `${versionId}:area:${area}`, column: 'page_ct' }) as const

/** Blocks per INSERT (a block is up to 1.25 MB). */
const BLOCKS_PER_INSERT = 8

/**
 * The prefix a staged version's `registry` column carries until its import switches it active
 * (ADR 0015): no registry has such an id, so nothing that looks versions up by registry can pick
 * a staged version up, and `versions()` leaves them out.
 */
export const STAGED_PREFIX = 'staged:'

/** A version being imported (or left behind by an import that died): its pages are being written, nothing reads it. */
export interface StagedVersion {
  readonly id: string
  /** The registry it will belong to. */
  readonly registry: string
  readonly keyId: string
  /** When its staging began. */
  readonly stagedAt: number
}

/** A version's row as stored (every covered column). */
function versionRow(v: RegistryVersionRecord, registry: string) {
  return {
    id: v.id,
    registry,
    as_of: v.asOf,
    imported_at: v.importedAt,
    key_id: v.keyId,
    numbers: v.numbers,
    lines: v.lines,
    content_sha256: v.contentSha256,
    coverage: coverageToJson(v.coverage),
    details: JSON.stringify(v.details),
  }
}

/**
 * Registry versions (`registry_versions`) and their numbers (`registry_pages`): one sealed area
 * block per area code a version lists numbers in (see core/dnc/area-block.ts), under the
 * version's own data key. Versions stored before migration 0006 hold one 1,250-byte page per
 * NPA-NXX instead; they are read into the same blocks.
 */
export class RegistriesRepo {
  readonly #sealer: Sealer

  constructor(sealer: Sealer) {
    this.#sealer = sealer
  }

  /** Every imported version, oldest first (one row per import: the table is small); staged versions are left out. */
  async versions(ex: Executor): Promise<RegistryVersion[]> {
    const rows = await ex
      .selectFrom('registry_versions')
      .select(['id', 'registry', 'as_of', 'imported_at', 'key_id', 'coverage', 'numbers', 'content_sha256'])
      .where('registry', 'not like', `${STAGED_PREFIX}%`)
      .orderBy('as_of')
      .orderBy('imported_at')
      .execute()
    return rows.map((r) => ({
      id: r.id,
      registry: r.registry,
      asOf: r.as_of,
      importedAt: r.imported_at,
      keyId: r.key_id,
      coverage: r.coverage === null ? WHOLE : coverageFromJson(r.coverage),
      layout: r.coverage === null ? 'pages' : 'areas',
      numbers: r.numbers,
      contentSha256: r.content_sha256,
    }))
  }

  /** A version's import report (`null` for versions stored before reports existed). */
  async details(ex: Executor, id: string): Promise<Record<string, unknown> | null> {
    const row = await ex.selectFrom('registry_versions').select('details').where('id', '=', id).executeTakeFirst()
    return row?.details ? (JSON.parse(row.details) as Record<string, unknown>) : null
  }

  /** Inserts a staged version (ADR 0015): its pages can then be inserted in bounded transactions; nothing reads it until `activate`. */
  async insertStaged(trx: Executor, v: RegistryVersionRecord): Promise<void> {
    const row = versionRow(v, `${STAGED_PREFIX}${v.registry}`)
    await trx.insertInto('registry_versions').values(row).execute()
    rowLedger.inserted(trx, 'registry_versions', [row], 'registries')
  }

  /**
   * The atomic switch: a staged version becomes active, as imported at `importedAt` (`v` as it was
   * staged). `false` when it is no longer staged (an import that found it abandoned discarded it).
   */
  async activate(trx: Executor, v: RegistryVersionRecord, importedAt: number): Promise<boolean> {
    const r = await trx
      .updateTable('registry_versions')
      .set({ registry: v.registry, imported_at: importedAt })
      .where('id', '=', v.id)
      .where('registry', '=', `${STAGED_PREFIX}${v.registry}`)
      .executeTakeFirst()
    if (Number(r.numUpdatedRows) === 0) return false
    rowLedger.updated(trx, 'registry_versions', versionRow({ ...v, importedAt }, v.registry), 'registries')
    return true
  }

  /** Every staged version (imports under way, or left behind by an import that died). */
  async staged(ex: Executor): Promise<StagedVersion[]> {
    const rows = await ex.selectFrom('registry_versions').select(['id', 'registry', 'key_id', 'imported_at']).where('registry', 'like', `${STAGED_PREFIX}%`).orderBy('imported_at').execute()
    return rows.map((r) => ({ id: r.id, registry: r.registry.slice(STAGED_PREFIX.length), keyId: r.key_id, stagedAt: Number(r.imported_at) }))
  }

  /** An area block sealed under the version's key, ready to insert. */
  sealBlock(key: DataKey, versionId: string, area: number, block: Uint8Array): SealedPage {
    return { version_id: versionId, prefix: area, page_ct: this.#sealer.sealWith(key, BLOCK(versionId, area), Buffer.from(block.buffer, block.byteOffset, block.byteLength)) }
  }

  /**
   * Inserts sealed blocks of one version inside the caller's audited write (a version is visible
   * whole or not at all); the blocks are recorded as one aggregate per call (`<version>#<lo>-<hi>`),
   * so each call gives one version's blocks in ascending area order.
   */
  async insertBlocks(trx: Executor, blocks: readonly SealedPage[]): Promise<void> {
    if (blocks.length === 0) return
    for (let i = 1; i < blocks.length; i++) {
      if (blocks[i]!.version_id !== blocks[0]!.version_id || blocks[i]!.prefix <= blocks[i - 1]!.prefix) throw new Error('registry blocks must be inserted per version in ascending area order')
    }
    for (let i = 0; i < blocks.length; i += BLOCKS_PER_INSERT) await trx.insertInto('registry_pages').values(blocks.slice(i, i + BLOCKS_PER_INSERT)).execute()
    const v = blocks[0]!.version_id
    rowLedger.aggregate(trx, 'registry_pages', `${v}#${blocks[0]!.prefix}-${blocks.at(-1)!.prefix}`, registryScope(v), blocks as unknown as ReadonlyArray<Record<string, unknown>>)
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

  /** The block of one area code of a version (decrypted), or `null` when it lists no number there. */
  async areaBlock(ex: Executor, version: RegistryVersion, area: number): Promise<Uint8Array | null> {
    if (version.layout === 'pages') return this.#legacyArea(ex, version, area)
    const row = await ex.selectFrom('registry_pages').select('page_ct').where('version_id', '=', version.id).where('prefix', '=', area).executeTakeFirst()
    if (!row) return null
    const bytes = (await this.#sealer.openBytes(ex, BLOCK(version.id, area), row.page_ct))!
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  /** Every block of a version, or only those of `areas` (decrypted), ascending by area. */
  async areaBlocks(ex: Executor, version: RegistryVersion, areas?: readonly number[]): Promise<AreaBlock[]> {
    if (version.layout === 'pages') {
      const out: AreaBlock[] = []
      const wanted = areas ?? (await this.#legacyAreas(ex, version))
      for (const area of wanted) {
        const bytes = await this.#legacyArea(ex, version, area)
        if (bytes !== null) out.push({ area, bytes })
      }
      return out
    }
    let q = ex.selectFrom('registry_pages').select(['prefix', 'page_ct']).where('version_id', '=', version.id)
    if (areas !== undefined) {
      if (areas.length === 0) return []
      q = q.where('prefix', 'in', [...areas])
    }
    const out: AreaBlock[] = []
    for (const row of await q.orderBy('prefix').execute()) {
      const bytes = (await this.#sealer.openBytes(ex, BLOCK(version.id, row.prefix), row.page_ct))!
      out.push({ area: row.prefix, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) })
    }
    return out
  }

  /** Whether one number is on a version: reads and decrypts one area block. */
  async isListed(ex: Executor, version: RegistryVersion, national: number): Promise<boolean> {
    const area = Math.floor(national / 10_000_000)
    const block = await this.areaBlock(ex, version, area)
    return block !== null && PackedRegistry.build([{ area, bytes: block }]).has(national)
  }

  async #legacyAreas(ex: Executor, version: RegistryVersion): Promise<number[]> {
    const rows = await ex.selectFrom('registry_pages').select('prefix').where('version_id', '=', version.id).execute()
    return [...new Set(rows.map((r) => Math.floor(r.prefix / 1000)))].sort((a, b) => a - b)
  }

  /** A legacy version's pages of one area, as a block. */
  async #legacyArea(ex: Executor, version: RegistryVersion, area: number): Promise<Uint8Array | null> {
    const rows = await ex
      .selectFrom('registry_pages')
      .select(['prefix', 'page_ct'])
      .where('version_id', '=', version.id)
      .where('prefix', '>=', area * 1000)
      .where('prefix', '<', (area + 1) * 1000)
      .execute()
    if (rows.length === 0) return null
    const set = new PagedBitset()
    for (const row of rows) {
      const page = (await this.#sealer.openBytes(ex, LEGACY_PAGE(version.id, row.prefix), row.page_ct))!
      set.setPage(row.prefix, new Uint8Array(page.buffer, page.byteOffset, page.byteLength))
    }
    return encodeArea(set, area)?.bytes ?? null
  }
}

/**
 * The version of a registry in force for an area code at an instant (see `versionInForceFor`):
 * `area` is the number's area code, or `null` outside the NANP (a whole registry, UK TPS).
 */
export function versionInForce(versions: readonly RegistryVersion[], registry: string, area: number | null, at: number): RegistryVersion | null {
  return versionInForceFor(versions, registry, area, at)
}
