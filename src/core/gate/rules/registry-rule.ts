import { formatInstant } from '../../time/instant.js'
import type { GateRule } from '../gate-rule.js'
import type { Reason } from '../reason.js'
import { CITATIONS } from './citations.js'
import { registryCountry, registryExemption } from './exemption.js'

/**
 * National and state do-not-call registries, for marketing calls: a listed number is blocked
 * (`NATIONAL_DNC` / `STATE_DNC`) unless the registry's country exempts the call
 * (`registryExemption`: US written consent or an EBR, Canada express consent or an EBR, UK consent
 * of either kind). Each listing is lifted by its own registry's country only.
 */
export const registryRule: GateRule = {
  id: 'registry',
  evaluate(facts, at): Reason[] {
    if (facts.campaign.purpose !== 'marketing') return []
    const listed = facts.registries.filter((r) => r.listed && r.version)
    if (listed.length === 0) return []
    const exempt = new Map<string, boolean>()
    const isExempt = (registry: string): boolean => {
      const country = registryCountry(registry)
      let e = exempt.get(country)
      if (e === undefined) exempt.set(country, (e = registryExemption(facts, country, at) !== null))
      return e
    }
    return listed.filter((r) => !isExempt(r.registry)).map((r) => {
      const asOf = formatInstant(r.version!.asOf).slice(0, 10)
      if (r.kind === 'state') {
        const state = r.registry.slice('us-state-'.length)
        return { code: 'STATE_DNC', message: `listed on ${r.registry} (as of ${asOf})`, rule: CITATIONS.stateList(state) }
      }
      const country = facts.phone?.country ?? 'US'
      return {
        code: 'NATIONAL_DNC',
        message: `listed on ${r.registry} (as of ${asOf})`,
        rule: CITATIONS.registry[country] ?? r.registry,
      }
    })
  },
}
