import { parseRegistryId } from '../../core/dnc/registry-id.js'
import { DAY, formatInstant } from '../../core/time/instant.js'
import type { RegistryStatus, RegistryStatusRange } from './registry-status.js'

/** Where a registry (or some of its area codes) stands today. */
export type FreshnessState = 'fresh' | 'stale' | 'missing'

/** One row of the dashboard's registry freshness table. */
export interface RegistryFreshness {
  readonly registry: string
  readonly country: 'US' | 'CA' | 'GB'
  /**
   * The area codes the row covers: `all` (the registry's every area code, or a registry without
   * area codes), `all others` (those no other row of the registry names), or a list (`305, 786`;
   * long runs as `201–989 (120 area codes)`).
   */
  readonly areaCodes: string
  /** The version in force (`null` when missing). */
  readonly version: string | null
  /** Its as-of date (`YYYY-MM-DD`), or `null`. */
  readonly asOf: string | null
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

/** Area codes as a short text: up to six listed, a longer list as its first–last and count. */
export function describeAreaCodes(codes: readonly string[]): string {
  if (codes.length <= 6) return codes.join(', ')
  return `${codes[0]}–${codes[codes.length - 1]} (${codes.length} area codes)`
}

/**
 * The dashboard's view of `registry status` (one source for both): one row per registry and
 * area-code range in force, a registry whose ranges all rely on one version folded into one row;
 * a national registry's area codes no version covers as a `missing` row; national registries never
 * imported as `missing` rows (marketing calls to that country fail closed). Stale rows first, the
 * oldest first; then fresh rows, then missing ones, by registry id.
 */
export function registryFreshness(status: RegistryStatus): RegistryFreshness[] {
  const rows: RegistryFreshness[] = []
  const row = (registry: string, r: RegistryStatusRange, areaCodes: string, numbers: number): RegistryFreshness => {
    const id = parseRegistryId(registry)
    return {
      registry,
      country: id?.country ?? 'US',
      areaCodes,
      version: r.version,
      asOf: r.asOf,
      numbers,
      ageDays: r.ageDays,
      maxAgeDays: id?.maxAgeDays ?? 31,
      state: r.fresh ? 'fresh' : 'stale',
      staleFrom: formatInstant(Date.parse(`${r.freshThrough}T00:00:00Z`) + DAY).slice(0, 10),
    }
  }
  for (const entry of status.registries) {
    const id = parseRegistryId(entry.registry)
    const versions = new Set(entry.ranges.map((r) => r.version))
    const whole = entry.ranges.some((r) => r.scope !== 'area-codes')
    if (versions.size === 1 && entry.ranges.length > 0) {
      const codes = entry.ranges.flatMap((r) => r.areaCodes)
      rows.push(row(entry.registry, entry.ranges[0]!, whole ? 'all' : describeAreaCodes(codes), entry.ranges.reduce((n, r) => n + r.numbers, 0)))
    } else {
      for (const r of entry.ranges) rows.push(row(entry.registry, r, r.scope === 'area-codes' ? describeAreaCodes(r.areaCodes) : r.scope === 'other-area-codes' ? 'all others' : 'all', r.numbers))
    }
    if (entry.uncovered.length > 0) {
      rows.push({ registry: entry.registry, country: id?.country ?? 'US', areaCodes: describeAreaCodes(entry.uncovered), version: null, asOf: null, numbers: null, ageDays: null, maxAgeDays: entry.maxAgeDays, state: 'missing', staleFrom: null })
    }
  }
  for (const registry of NATIONAL_REGISTRIES) {
    if (status.registries.some((e) => e.registry === registry)) continue
    const id = parseRegistryId(registry)!
    rows.push({ registry, country: id.country, areaCodes: 'all', version: null, asOf: null, numbers: null, ageDays: null, maxAgeDays: id.maxAgeDays, state: 'missing', staleFrom: null })
  }
  const rank = (r: RegistryFreshness): number => (r.state === 'stale' ? 0 : r.state === 'fresh' ? 1 : 2)
  return rows.sort((a, b) => rank(a) - rank(b) || (b.ageDays ?? 0) - (a.ageDays ?? 0) || a.registry.localeCompare(b.registry))
}
