import { formatInstant } from '../../time/instant.js'
import { consentStandingAt } from '../../consent/consent-standing.js'
import type { ConsentKind } from '../../consent/consent-event.js'
import type { GateRule } from '../gate-rule.js'
import type { Reason } from '../reason.js'
import { CITATIONS } from './citations.js'

/**
 * Consent needed for autodialed or prerecorded calls: written consent from the campaign's seller
 * for marketing, written or express for informational calls. Manual dialing needs none.
 * Gives `NO_CONSENT`, `CONSENT_REVOKED`, or `REASSIGNED_NUMBER` when the only consent was
 * voided by a reassigned-number result.
 */
export const consentRule: GateRule = {
  id: 'consent',
  evaluate(facts, at): Reason[] {
    const { campaign } = facts
    if (campaign.dialing === 'manual') return []
    const marketing = campaign.purpose === 'marketing'
    const kinds: ConsentKind[] = marketing ? ['written'] : ['written', 'express']
    const rule = marketing ? CITATIONS.writtenConsent : CITATIONS.expressConsent
    const needed = marketing ? 'prior express written consent' : 'prior express consent'
    const standing = consentStandingAt(facts.consentEvents, facts.reassigned, {
      sellerKey: campaign.sellerKey,
      channel: campaign.channel,
      kinds,
      at,
    })
    switch (standing.status) {
      case 'valid':
        return []
      case 'revoked':
        return [
          {
            code: 'CONSENT_REVOKED',
            message: `consent granted ${formatInstant(standing.grant.at)} was revoked ${formatInstant(standing.revocation.at)}`,
            rule,
          },
        ]
      case 'voided':
        return [
          {
            code: 'REASSIGNED_NUMBER',
            message: `number reported reassigned (query date ${formatInstant(standing.reassignedOn).slice(0, 10)}): consent granted ${formatInstant(standing.grant.at)} no longer identifies the subscriber`,
            rule: CITATIONS.reassigned,
          },
        ]
      case 'none':
        return [
          {
            code: 'NO_CONSENT',
            message: `${campaign.dialing} ${campaign.purpose} ${campaign.channel} call needs ${needed} from seller "${campaign.seller}"`,
            rule,
          },
        ]
    }
  },
}
