import { parseRegistryId } from '../../core/dnc/registry-id.js'
import { versionInForceFor } from '../../core/dnc/coverage.js'
import { NANP_NPAS } from '../../core/phone/nanp-table.generated.js'
import { DAY, formatInstant } from '../../core/time/instant.js'
import type { RegistryVersion } from '../../store/repos/registries.js'

/** One run of area codes with the same version in force. */
export interface RegistryStatusRange {
  /** `area-codes`: the area codes `first`–`last` (in the order of the registry's covered area codes); `other-area-codes`: every area code not listed above, covered by a whole-registry version; `whole-registry`: a registry without area codes (UK TPS). */
  readonly scope: 'area-codes' | 'other-area-codes' | 'whole-registry'
  readonly first: string | null
  readonly last: string | null
  /** The area codes of the range (empty for the other two scopes). */
  readonly areaCodes: readonly string[]
  readonly version: string
  readonly asOf: string
  /** Days from the as-of date to today (UTC dates). */
  readonly ageDays: number
  /** Whether a call today may rely on it (age ≤ the registry's limit: 31 days US/CA, 28 UK). */
  readonly fresh: boolean
  /** The last UTC date it serves calls on. */
  readonly freshThrough: string
  /** Numbers the version lists in the range. */
  readonly numbers: number
}

/** One registry's state today. */
export interface RegistryStatusEntry {
  readonly registry: string
  readonly kind: 'national' | 'state'
  readonly maxAgeDays: number
  /** Every range fresh, and (for a national registry) no area code of its country uncovered. */
  readonly fresh: boolean
  readonly ranges: readonly RegistryStatusRange[]
  /** Geographic area codes of the registry's country that no version covers (national registries): marketing calls to them are `REGISTRY_STALE`. */
  readonly uncovered: readonly string[]
}

/** `registry status`: the morning check. */
export interface RegistryStatus {
  readonly today: string
  /** Every registry imported, fresh everywhere. */
  readonly fresh: boolean
  readonly registries: readonly RegistryStatusEntry[]
}

/**
 * Per registry and area-code range, the version in force today, its as-of date, age in days,
 * whether it is fresh today and how many numbers it lists (metadata only: nothing is decrypted).
 */
export function registryStatus(versions: readonly RegistryVersion[], now: number): RegistryStatus {
  const today = Math.floor(now / DAY) * DAY
  const registries: RegistryStatusEntry[] = []
  for (const registry of [...new Set(versions.map((v) => v.registry))].sort()) {
    const id = parseRegistryId(registry)
    const maxAge = id?.maxAgeDays ?? 31
    const mine = versions.filter((v) => v.registry === registry)
    const range = (scope: RegistryStatusRange['scope'], v: RegistryVersion, codes: readonly number[], numbers: number): RegistryStatusRange => {
      const ageDays = Math.floor((today - Math.floor(v.asOf / DAY) * DAY) / DAY)
      return {
        scope,
        first: codes.length > 0 ? String(codes[0]) : null,
        last: codes.length > 0 ? String(codes[codes.length - 1]) : null,
        areaCodes: codes.map(String),
        version: v.id,
        asOf: formatInstant(v.asOf).slice(0, 10),
        ageDays,
        fresh: ageDays <= maxAge,
        freshThrough: formatInstant(Math.floor(v.asOf / DAY) * DAY + maxAge * DAY).slice(0, 10),
        numbers,
      }
    }
    const ranges: RegistryStatusRange[] = []
    let uncovered: string[] = []
    if (id?.format === 'uk') {
      const v = versionInForceFor(mine, registry, null, now)
      if (v !== null) ranges.push(range('whole-registry', v, [], v.numbers))
    } else {
      const named = new Set<number>()
      for (const v of mine) for (const a of v.coverage.areas.keys()) named.add(a)
      let run: { v: RegistryVersion; codes: number[]; numbers: number } | null = null
      for (const area of [...named].sort((a, b) => a - b)) {
        const v = versionInForceFor(mine, registry, area, now)
        if (v === null) continue
        const n = v.coverage.areas.get(area) ?? 0
        if (run !== null && run.v === v) {
          run.codes.push(area)
          run.numbers += n
        } else {
          if (run !== null) ranges.push(range('area-codes', run.v, run.codes, run.numbers))
          run = { v, codes: [area], numbers: n }
        }
      }
      if (run !== null) ranges.push(range('area-codes', run.v, run.codes, run.numbers))
      const whole = versionInForceFor(mine, registry, null, now)
      if (whole !== null) {
        // every area code no version names: the whole registry lists no number there (a version stored
        // before coverage existed names none, so all its numbers are counted here)
        ranges.push(range('other-area-codes', whole, [], whole.layout === 'pages' ? whole.numbers : 0))
      } else if (id?.kind === 'national') {
        uncovered = NANP_NPAS.filter((r) => r[1] === id.country && !named.has(r[0])).map((r) => String(r[0]))
      }
    }
    registries.push({ registry, kind: id?.kind ?? 'national', maxAgeDays: maxAge, fresh: ranges.length > 0 && ranges.every((r) => r.fresh) && uncovered.length === 0, ranges, uncovered })
  }
  return { today: formatInstant(today).slice(0, 10), fresh: registries.length > 0 && registries.every((r) => r.fresh), registries }
}
