/**
 * Candidate places of a number: where the callee may be, as (country, region, zones). A superset
 * by design (CONTRACT "Places"): an extra place or zone only makes the gate stricter.
 */
import type { Place } from '../gate/place.js'
import { nanpAreaCode } from './nanp.js'
import { NANP_REGIONS } from './nanp-table.generated.js'
import type { Phone } from './phone.js'

/** What is known of the consumer's address. */
export interface AddressHint {
  /** US state/DC/territory or Canadian province/territory code (`FL`, `ON`); case-insensitive. */
  readonly state?: string | null
  /**
   * ZIP code. Validated by callers but adds no place: no ZIP→state table with a clear public source
   * ships with Dialward yet, so only `state` adds a place.
   */
  readonly zip?: string | null
}

interface RegionInfo {
  readonly country: string
  readonly zones: readonly string[]
}

/** Region code → country and every zone used anywhere in it (union over the region's NPAs). */
const regions = new Map<string, RegionInfo>(
  NANP_REGIONS.map(([code, country, zones]) => [code, { country, zones }]),
)

/** Country-wide zone unions, for NANP numbers whose NPA names no place (toll-free, 5XX, …). */
function countryZones(country: string): readonly string[] {
  const set = new Set<string>()
  for (const [, c, zones] of NANP_REGIONS) if (c === country) for (const z of zones) set.add(z)
  return [...set].sort()
}
const NON_GEOGRAPHIC_PLACES: readonly Place[] = ['US', 'CA'].map((country) => ({
  country,
  region: null,
  zones: countryZones(country),
  source: 'area-code' as const,
}))

/**
 * Zones of non-NANP countries, from the IANA tz database `zone.tab`. Only the +44 family is listed
 * (it is the only non-NANP registry, UK TPS); other countries get a place with no zones.
 */
const OTHER_COUNTRY_ZONES: Readonly<Record<string, readonly string[]>> = {
  GB: ['Europe/London'],
  GG: ['Europe/Guernsey'],
  IM: ['Europe/Isle_of_Man'],
  JE: ['Europe/Jersey'],
}

/**
 * Whether `code` is a US state, DC, US territory (PR, VI, GU, MP, AS) or Canadian
 * province/territory code, case-insensitive. The list is exactly the regions of the NANP table.
 */
export function isValidRegionCode(code: string): boolean {
  return regions.has(code.trim().toUpperCase())
}

/** Every IANA zone used anywhere in a region (superset), or `undefined` for an unknown code. */
export function regionZones(code: string): readonly string[] | undefined {
  return regions.get(code.trim().toUpperCase())?.zones
}

/**
 * What a number's own places (and its country) depend on: two numbers with the same key get the
 * same `candidatePlaces` for the same address hint. NANP: the area code (its zones already hold
 * every NPA-NXX refinement); other countries: the calling code and country. Kept next to
 * `numberPlaces` so the two change together (bulk scrub caches decisions by it).
 */
export function placesKey(phone: Phone): number | string {
  if (phone.callingCode !== '1' || phone.npa === null) return `${phone.callingCode}|${phone.country ?? ''}|${phone.npa ?? ''}`
  return phone.npa
}

function numberPlaces(phone: Phone): Place[] {
  if (phone.callingCode !== '1') {
    if (phone.country === null) return []
    return [
      {
        country: phone.country,
        region: null,
        zones: OTHER_COUNTRY_ZONES[phone.country] ?? [],
        source: 'area-code',
      },
    ]
  }
  const area = phone.npa === null ? undefined : nanpAreaCode(phone.npa)
  // Toll-free and other non-geographic NPAs can ring anywhere: every US and every Canadian zone.
  if (area === undefined) return [...NON_GEOGRAPHIC_PLACES]
  // The NPA row is the union of every NPA-NXX refinement under it (scripts/generate-nanp.ts refuses
  // data where a refinement names a zone its area code lacks), so a refinement can never add a zone.
  const zones = area.zones
  if (area.regions.length === 0) return [{ country: area.country, region: null, zones, source: 'area-code' }]
  return area.regions.map((region) => ({ country: area.country, region, zones, source: 'area-code' }))
}

/**
 * The places the callee of `phone` may be in.
 *
 * - NANP geographic: one place per region of the area code (902/782 → NS and PE; 867 → NT, NU,
 *   YT), country from the table, with every zone of the NPA (a superset of its NPA-NXX
 *   refinements). Caribbean members: one place with `region: null`.
 * - NANP non-geographic (800, 888, 5XX, …): one US and one CA place with `region: null` and every
 *   zone of that country, since such numbers identify no place.
 * - Other countries: one place for the number's country (`Europe/London` for the UK; no zones
 *   for countries without a zone table); none when the number has no country (e.g. +800).
 * - Plus, when `address.state` is given: that region with every zone used in it (`source:
 *   'address'`). `address.zip` adds nothing (see `AddressHint.zip`).
 *
 * @throws RangeError when `address.state` is given but not a known region code (validate it with
 *   `isValidRegionCode` first).
 */
export function candidatePlaces(phone: Phone, address?: AddressHint): Place[] {
  const places = numberPlaces(phone)
  const state = address?.state?.trim()
  if (state !== undefined && state !== '') {
    const code = state.toUpperCase()
    const info = regions.get(code)
    if (info === undefined) throw new RangeError('unknown state/province code')
    places.push({ country: info.country, region: code, zones: info.zones, source: 'address' })
  }
  return places
}
