import { DAY, formatInstant } from '../../time/instant.js'
import type { GateRule } from '../gate-rule.js'
import type { Reason } from '../reason.js'
import { CITATIONS } from './citations.js'

/**
 * Stale contact data: when the campaign's data purpose has a staleness policy of N days and the
 * number's contact record for that purpose was last verified N days or more before the call, the
 * call is blocked with `DATA_STALE` until the data is re-verified (a newer import) — waiting never
 * lifts it. A number without a contact record for the purpose is not judged by this rule: the
 * gate needs no lead data, it refuses to dial on data that has gone stale.
 */
export const dataStaleRule: GateRule = {
  id: 'data-stale',
  evaluate(facts, at): Reason[] {
    const policy = facts.dataPolicy
    if (!policy || policy.staleAfterDays === null) return []
    const contact = facts.contacts?.find((c) => c.purpose === policy.purpose)
    if (!contact || at - contact.verifiedAt < policy.staleAfterDays * DAY) return []
    return [
      {
        code: 'DATA_STALE',
        message: `contact data for purpose "${policy.purpose}" was last verified ${formatInstant(contact.verifiedAt)}, ${policy.staleAfterDays} days or more before the call`,
        rule: CITATIONS.dataStale(policy.staleAfterDays),
      },
    ]
  },
}
