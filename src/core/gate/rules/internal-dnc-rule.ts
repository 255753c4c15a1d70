import { formatInstant } from '../../time/instant.js'
import { dncInForce, dncRequests } from '../../dnc/dnc-requests.js'
import type { GateRule } from '../gate-rule.js'
import type { Reason } from '../reason.js'
import { CITATIONS } from './citations.js'

/** Company-specific do-not-call: blocks marketing calls from the seller (or every seller) after a request. */
export const internalDncRule: GateRule = {
  id: 'internal-dnc',
  evaluate(facts, at): Reason[] {
    if (facts.campaign.purpose !== 'marketing') return []
    const requests = dncRequests(facts.dncEntries, facts.consentEvents)
    const hit = dncInForce(requests, facts.consentEvents, facts.campaign.sellerKey, facts.campaign.channel, at)
    if (!hit) return []
    const scope = hit.sellerKey === null ? 'every seller' : `seller "${facts.campaign.seller}"`
    const what = hit.origin === 'revocation' ? 'consent revocation (a do-not-call request)' : 'do-not-call request'
    return [{ code: 'INTERNAL_DNC', message: `${what} for ${scope} since ${formatInstant(hit.at)}`, rule: CITATIONS.internalDnc }]
  },
}
