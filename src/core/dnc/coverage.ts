/**
 * Which area codes a version of a registry covers (CONTRACT "Registry coverage"). The FTC and the
 * CRTC deliver a registry per area code or whole: a version covers the area codes it names, or
 * every area code (`full`: the whole registry, every area code it lacks then having no listed
 * number). Freshness and listing are judged per area code against the version in force for it.
 */
export interface Coverage {
  /** The whole registry: covers every area code. */
  readonly full: boolean
  /** Area code → numbers the version lists in it, for every area code it names or holds numbers in. */
  readonly areas: ReadonlyMap<number, number>
}

/** A registry version as the coverage rules see it. */
export interface CoveringVersion {
  readonly registry: string
  readonly asOf: number
  readonly importedAt: number
  readonly coverage: Coverage
}

/** Whether a version covers an area code (`null`: a number outside the NANP, covered only by a whole registry). */
export function coversArea(coverage: Coverage, area: number | null): boolean {
  return coverage.full || (area !== null && coverage.areas.has(area))
}

/** Numbers a version lists in an area code (0 for an area code a whole registry lacks). */
export function numbersIn(coverage: Coverage, area: number | null): number {
  return area === null ? [...coverage.areas.values()].reduce((a, b) => a + b, 0) : (coverage.areas.get(area) ?? 0)
}

/**
 * The version of `registry` in force for an area code at an instant: among the versions covering
 * it, the newest as-of date at or before `at` (the latest import wins a tie). When every covering
 * version is dated after `at`, the oldest of them is used (a list is never ignored). `null` when
 * no version covers the area code.
 */
export function versionInForceFor<V extends CoveringVersion>(versions: readonly V[], registry: string, area: number | null, at: number): V | null {
  let best: V | null = null
  let earliestFuture: V | null = null
  for (const v of versions) {
    if (v.registry !== registry || !coversArea(v.coverage, area)) continue
    if (v.asOf <= at) {
      if (!best || v.asOf > best.asOf || (v.asOf === best.asOf && v.importedAt >= best.importedAt)) best = v
    } else if (!earliestFuture || v.asOf < earliestFuture.asOf || (v.asOf === earliestFuture.asOf && v.importedAt >= earliestFuture.importedAt)) {
      earliestFuture = v
    }
  }
  return best ?? earliestFuture
}

/** Whether two versions' coverages share an area code (a whole registry shares every one). */
export function coveragesOverlap(a: Coverage, b: Coverage): boolean {
  if (a.full || b.full) return true
  for (const area of a.areas.keys()) if (b.areas.has(area)) return true
  return false
}

/**
 * The stored version that importing the same content (`contentSha256`, which covers coverage and
 * numbers) with the same as-of date would only repeat, or `null`. A repeat changes no answer at
 * any instant exactly when nothing of the same registry and as-of date was imported after that
 * version over any of its area codes (the latest import wins a tie of as-of dates): then the
 * import is a retry — a reply lost, a job run twice — and stores nothing.
 */
export function repeatedVersion<V extends CoveringVersion & { readonly contentSha256: string }>(versions: readonly V[], registry: string, asOf: number, contentSha256: string): V | null {
  for (const v of versions) {
    if (v.registry !== registry || v.asOf !== asOf || v.contentSha256 !== contentSha256) continue
    const overtaken = versions.some((w) => w !== v && w.registry === registry && w.asOf === asOf && w.importedAt > v.importedAt && coveragesOverlap(w.coverage, v.coverage))
    if (!overtaken) return v
  }
  return null
}

/** Coverage as stored (JSON): `{"full":…,"areas":[[npa,numbers],…]}`. */
export function coverageToJson(c: Coverage): string {
  return JSON.stringify({ full: c.full, areas: [...c.areas].sort((a, b) => a[0] - b[0]) })
}

/** Reads stored coverage; throws a `RangeError` when malformed. */
export function coverageFromJson(text: string): Coverage {
  const v = JSON.parse(text) as { full?: unknown; areas?: unknown }
  if (typeof v.full !== 'boolean' || !Array.isArray(v.areas)) throw new RangeError('malformed registry coverage')
  const areas = new Map<number, number>()
  for (const e of v.areas) {
    if (!Array.isArray(e) || e.length !== 2 || !Number.isInteger(e[0]) || !Number.isInteger(e[1])) throw new RangeError('malformed registry coverage')
    areas.set(e[0] as number, e[1] as number)
  }
  return { full: v.full, areas }
}

/** Stored coverage as retention sees it (`undefined`: a version stored before coverage existed, i.e. the whole registry). */
export function coverageFact(json: string | null): { readonly full: boolean; readonly areas: readonly number[] } | undefined {
  if (json === null) return undefined
  const c = coverageFromJson(json)
  return { full: c.full, areas: [...c.areas.keys()] }
}
