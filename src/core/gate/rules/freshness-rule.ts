import { DAY, formatInstant } from '../../time/instant.js'
import type { GateRule } from '../gate-rule.js'
import type { Reason } from '../reason.js'
import { CITATIONS } from './citations.js'
import { registryCountry, registryExemption } from './exemption.js'

/** Maximum registry age in days per country (US and Canada 31, UK 28). */
export const REGISTRY_MAX_AGE_DAYS: Readonly<Record<string, number>> = { US: 31, CA: 31, GB: 28 }

/** The national registry a number's country must be scrubbed against, if any. */
export const NATIONAL_REGISTRY: Readonly<Record<string, string>> = { US: 'us-national', CA: 'ca-national', GB: 'uk-tps' }

/**
 * Registry freshness, fail closed: a marketing call that is not exempt needs its country's
 * national registry, in the version in force for the number's area code (NANP), imported with an
 * as-of date no more than N days before the call's (UTC) date. An area code no version covers
 * counts as stale; the message names the area code.
 */
export const freshnessRule: GateRule = {
  id: 'registry-freshness',
  evaluate(facts, at): Reason[] {
    if (facts.campaign.purpose !== 'marketing' || !facts.phone?.country) return []
    const country = facts.phone.country
    const registry = NATIONAL_REGISTRY[country]
    const maxAge = REGISTRY_MAX_AGE_DAYS[country]
    if (!registry || maxAge === undefined) return []
    const fact = facts.registries.find((r) => r.registry === registry)
    const callDate = Math.floor(at / DAY) * DAY
    const fresh = fact?.version != null && callDate - fact.version.asOf <= maxAge * DAY
    if (fresh || registryExemption(facts, registryCountry(registry), at) !== null) return []
    const area = fact?.area ?? null
    const where = area === null ? '' : ` for area code ${area}`
    const message =
      fact?.version == null
        ? area === null
          ? `no ${registry} registry has been imported`
          : `no ${registry} registry version covers area code ${area}`
        : `${registry} registry${where} is as of ${formatInstant(fact.version.asOf).slice(0, 10)}, more than ${maxAge} days before the call`
    return [{ code: 'REGISTRY_STALE', message, rule: CITATIONS.freshness[country] ?? registry }]
  },
}
