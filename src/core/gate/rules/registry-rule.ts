import { formatInstant } from '../../time/instant.js'
import type { GateRule } from '../gate-rule.js'
import type { Reason } from '../reason.js'
import { CITATIONS } from './citations.js'
import { registryExemption } from './exemption.js'

/**
 * National and state do-not-call registries, for marketing calls: a listed number is blocked
 * (`NATIONAL_DNC` / `STATE_DNC`) unless the seller holds written consent or a live EBR.
 */
export const registryRule: GateRule = {
  id: 'registry',
  evaluate(facts, at): Reason[] {
    if (facts.campaign.purpose !== 'marketing') return []
    const listed = facts.registries.filter((r) => r.listed && r.version)
    if (listed.length === 0 || registryExemption(facts, at) !== null) return []
    return listed.map((r) => {
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
