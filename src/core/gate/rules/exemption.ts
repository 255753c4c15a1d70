import { addMonthsUtc, type Instant } from '../../time/instant.js'
import { consentStandingAt } from '../../consent/consent-standing.js'
import type { ConsentGrant, ConsentKind } from '../../consent/consent-event.js'
import { dncRequestBetween, dncRequests } from '../../dnc/dnc-requests.js'
import { parseRegistryId } from '../../dnc/registry-id.js'
import type { DecisionFacts } from '../facts.js'

/** What lifts a country's do-not-call registries for a marketing call (CONTRACT "Exemptions by country"). */
export interface RegistryExemptionRule {
  /** Consent kinds from the seller that lift the registry. */
  readonly consentKinds: readonly ConsentKind[]
  /** Months an established business relationship lasts, by kind; `null`: an EBR does not lift it. */
  readonly ebrMonths: { readonly purchase: number; readonly inquiry: number } | null
  readonly source: string
}

/**
 * By registry country. US (national registry and state lists): written consent or an EBR of 18
 * months (purchase) / 3 months (inquiry), 47 CFR 64.1200(c)(2), (f)(5). Canada (DNCL): express
 * consent, written or oral (`written` or `express`), or an EBR of 18 / 6 months, CRTC UTR Part II.
 * UK (TPS): consent of either kind, no EBR, PECR reg. 21.
 */
export const REGISTRY_EXEMPTIONS: Readonly<Record<'US' | 'CA' | 'GB', RegistryExemptionRule>> = Object.freeze({
  US: { consentKinds: ['written'], ebrMonths: { purchase: 18, inquiry: 3 }, source: '47 CFR 64.1200(c)(2), (f)(5)' },
  CA: { consentKinds: ['written', 'express'], ebrMonths: { purchase: 18, inquiry: 6 }, source: 'CRTC Unsolicited Telecommunications Rules, Part II' },
  GB: { consentKinds: ['written', 'express'], ebrMonths: null, source: 'PECR reg. 21' },
})

/** The country whose exemptions lift a registry: `us-*` US, `ca-national` CA, `uk-tps` GB (unknown ids: the US rules, the strictest). */
export function registryCountry(registry: string): 'US' | 'CA' | 'GB' {
  return parseRegistryId(registry)?.country ?? 'US'
}

/**
 * Whether a marketing call is exempt from the do-not-call registries of a country: the seller
 * holds consent of a kind that country accepts, or an established business relationship within
 * that country's months that no do-not-call request has ended.
 */
export function registryExemption(facts: DecisionFacts, country: 'US' | 'CA' | 'GB', at: Instant): 'consent' | 'ebr' | null {
  const { campaign } = facts
  const rule = REGISTRY_EXEMPTIONS[country]
  const consent = consentStandingAt(facts.consentEvents, facts.reassigned, {
    sellerKey: campaign.sellerKey,
    channel: campaign.channel,
    kinds: rule.consentKinds,
    at,
  })
  if (consent.status === 'valid') return 'consent'
  const months = rule.ebrMonths
  if (months === null) return null
  const expiresAt = (g: ConsentGrant): Instant => addMonthsUtc(g.at, g.kind === 'ebr-purchase' ? months.purchase : months.inquiry)
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
