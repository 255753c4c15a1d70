import { addMonthsUtc, type Instant } from '../../time/instant.js'
import { consentStandingAt } from '../../consent/consent-standing.js'
import type { ConsentGrant } from '../../consent/consent-event.js'
import { dncRequestBetween, dncRequests } from '../../dnc/dnc-requests.js'
import type { DecisionFacts } from '../facts.js'

/**
 * Whether a marketing call is exempt from the do-not-call registries: the seller holds written
 * consent, or an established business relationship (purchase within 18 months; inquiry within
 * 3 months in the US, 6 in Canada) that no do-not-call request has ended.
 */
export function registryExemption(facts: DecisionFacts, at: Instant): 'written-consent' | 'ebr' | null {
  const { campaign } = facts
  const written = consentStandingAt(facts.consentEvents, facts.reassigned, {
    sellerKey: campaign.sellerKey,
    channel: campaign.channel,
    kinds: ['written'],
    at,
  })
  if (written.status === 'valid') return 'written-consent'
  const inquiryMonths = facts.phone?.country === 'CA' ? 6 : 3
  const expiresAt = (g: ConsentGrant): Instant => addMonthsUtc(g.at, g.kind === 'ebr-purchase' ? 18 : inquiryMonths)
  const requests = dncRequests(facts.dncEntries, facts.consentEvents)
  for (const kind of ['ebr-purchase', 'ebr-inquiry'] as const) {
    const ebr = consentStandingAt(facts.consentEvents, facts.reassigned, {
      sellerKey: campaign.sellerKey,
      channel: campaign.channel,
      kinds: [kind],
      at,
      expiresAt,
    })
    if (ebr.status === 'valid' && !dncRequestBetween(requests, campaign.sellerKey, ebr.grant.at, at)) return 'ebr'
  }
  return null
}
