import type { Place } from '../gate/place.js'
import type { CompiledRule } from './compiled-pack.js'

/**
 * Every zone the callee may be in: the union of the zones of every candidate place, sorted.
 * CONTRACT "Places": each candidate place's window and days apply in every candidate zone, not
 * only in that place's own zones (a resident of one place may be in another).
 *
 * @example candidateZones([{ zones: ['America/New_York'] }, { zones: ['America/Los_Angeles'] }]) // both
 */
export function candidateZones(places: readonly Place[]): readonly string[] {
  if (places.length === 1) return places[0]!.zones
  const set = new Set<string>()
  for (const p of places) for (const z of p.zones) set.add(z)
  return [...set].sort()
}

/**
 * The zones a place's rule is checked in: every candidate zone plus the rule's fixed zone, or
 * none when the place itself has no known zone (its callee could be anywhere: the caller fails
 * closed unless the rule names a fixed zone).
 */
export function ruleZones(r: CompiledRule, place: Place, zones: readonly string[]): readonly string[] {
  if (place.zones.length === 0) return r.fixedZone === null ? [] : [r.fixedZone]
  return r.fixedZone === null ? zones : [...zones, r.fixedZone]
}
