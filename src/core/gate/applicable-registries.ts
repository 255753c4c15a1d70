import type { Phone } from '../phone/phone.js'
import type { Place } from './place.js'
import { NATIONAL_REGISTRY } from './rules/freshness-rule.js'

/** A registry that may list a number. */
export interface ApplicableRegistry {
  readonly registry: string
  readonly kind: 'national' | 'state'
}

/**
 * The registries a number must be checked against: its country's national list (US, CA, GB)
 * and the state list of every US state among its candidate places.
 */
export function applicableRegistries(phone: Phone, places: readonly Place[]): ApplicableRegistry[] {
  const out: ApplicableRegistry[] = []
  const national = phone.country ? NATIONAL_REGISTRY[phone.country] : undefined
  if (national) out.push({ registry: national, kind: 'national' })
  const seen = new Set<string>()
  for (const p of places) {
    if (p.country !== 'US' || !p.region || seen.has(p.region)) continue
    seen.add(p.region)
    out.push({ registry: `us-state-${p.region}`, kind: 'state' })
  }
  return out
}
