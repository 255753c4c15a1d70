import { DAY, formatInstant, type Instant } from '../time/instant.js'
import { parseRegistryId } from './registry-id.js'

/** A registry version as freshness needs it (metadata only). */
export interface VersionStamp {
  readonly id: string
  readonly registry: string
  readonly asOf: Instant
  readonly importedAt: Instant
  readonly numbers: number
}

/** Where a registry stands today: fresh, stale (too old for today's calls) or missing (never imported). */
export type FreshnessState = 'fresh' | 'stale' | 'missing'

/** One row of the registry freshness table. */
export interface RegistryFreshness {
  readonly registry: string
  readonly country: 'US' | 'CA' | 'GB'
  /**
   * The area codes the row covers. Registry versions in this release cover their whole registry
   * (`'all'`); per-area-code coverage replaces this with the area codes or ranges of each version.
   */
  readonly areaCodes: 'all'
  /** The version in force today (`null` when missing). */
  readonly version: string | null
  /** Its as-of date (`YYYY-MM-DD`), or `null`. */
  readonly asOf: string | null
  readonly importedAt: string | null
  readonly numbers: number | null
  /** Whole UTC days from the as-of date to today, or `null`. */
  readonly ageDays: number | null
  /** Oldest age (days) that still serves calls: 31 (US, CA), 28 (UK). */
  readonly maxAgeDays: number
  readonly state: FreshnessState
  /** The first UTC day on which calls are refused for this version (`YYYY-MM-DD`), or `null` when missing. */
  readonly staleFrom: string | null
}

/** The national registries a dialer in that country must scrub against (a missing one blocks marketing calls). */
export const NATIONAL_REGISTRIES: readonly string[] = ['us-national', 'ca-national', 'uk-tps']

/**
 * Registry freshness on the UTC day of `at`: per registry, the version in force (the newest as-of
 * date at or before `at`, the latest import winning a tie), its age and whether it still serves
 * calls under the 31/28-day rules (as-of D serves calls through D + max age, 23:59:59Z). National
 * registries never imported are listed as `missing` (marketing calls to that country fail closed).
 * Stale rows come first, the oldest first; then fresh rows, then missing ones, by registry id.
 */
export function registryFreshness(versions: readonly VersionStamp[], at: Instant): RegistryFreshness[] {
  const today = Math.floor(at / DAY) * DAY
  const best = new Map<string, VersionStamp>()
  const earliestFuture = new Map<string, VersionStamp>()
  for (const v of versions) {
    if (v.asOf <= at) {
      const b = best.get(v.registry)
      if (!b || v.asOf > b.asOf || (v.asOf === b.asOf && v.importedAt >= b.importedAt)) best.set(v.registry, v)
    } else {
      const f = earliestFuture.get(v.registry)
      if (!f || v.asOf < f.asOf) earliestFuture.set(v.registry, v)
    }
  }
  // as the gate does: when every version of a registry is dated after `at`, the oldest is in force (a list is never ignored)
  const inForce = new Map(earliestFuture)
  for (const [registry, v] of best) inForce.set(registry, v)
  const rows: RegistryFreshness[] = []
  for (const v of inForce.values()) {
    const id = parseRegistryId(v.registry)
    if (!id) continue
    const ageDays = Math.max(0, Math.floor((today - v.asOf) / DAY))
    rows.push({
      registry: v.registry,
      country: id.country,
      areaCodes: 'all',
      version: v.id,
      asOf: formatInstant(v.asOf).slice(0, 10),
      importedAt: formatInstant(v.importedAt),
      numbers: v.numbers,
      ageDays,
      maxAgeDays: id.maxAgeDays,
      state: ageDays <= id.maxAgeDays ? 'fresh' : 'stale',
      staleFrom: formatInstant(Math.floor(v.asOf / DAY) * DAY + (id.maxAgeDays + 1) * DAY).slice(0, 10),
    })
  }
  for (const registry of NATIONAL_REGISTRIES) {
    if (inForce.has(registry)) continue
    const id = parseRegistryId(registry)!
    rows.push({ registry, country: id.country, areaCodes: 'all', version: null, asOf: null, importedAt: null, numbers: null, ageDays: null, maxAgeDays: id.maxAgeDays, state: 'missing', staleFrom: null })
  }
  const rank = (r: RegistryFreshness): number => (r.state === 'stale' ? 0 : r.state === 'fresh' ? 1 : 2)
  return rows.sort((a, b) => rank(a) - rank(b) || (b.ageDays ?? 0) - (a.ageDays ?? 0) || a.registry.localeCompare(b.registry))
}
