import type { Kysely } from 'kysely'
import type { Database } from '../../store/schema.js'

/** One imported registry version (metadata only). */
export interface RegistryVersion {
  readonly id: string
  readonly registry: string
  readonly asOf: number
  readonly importedAt: number
  readonly keyId: string
}

/** Every imported registry version, oldest first. The table is small (one row per import). */
export async function loadRegistryVersions(db: Kysely<Database>): Promise<RegistryVersion[]> {
  const rows = await db
    .selectFrom('registry_versions')
    .select(['id', 'registry', 'as_of', 'imported_at', 'key_id'])
    .orderBy('as_of')
    .orderBy('imported_at')
    .execute()
  return rows.map((r) => ({ id: r.id, registry: r.registry, asOf: r.as_of, importedAt: r.imported_at, keyId: r.key_id }))
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
