import type { Campaign } from '../../src/core/gate/campaign.js'
import type { CallAttempt, DecisionFacts } from '../../src/core/gate/facts.js'
import type { Place } from '../../src/core/gate/place.js'
import type { Instant } from '../../src/core/time/instant.js'

/** Test helper: the default campaign (Acme, marketing, autodialed, voice). */
export const TEST_CAMPAIGN: Campaign = {
  id: 'c1',
  seller: 'Acme',
  sellerKey: 'acme',
  purpose: 'marketing',
  dialing: 'autodialed',
  channel: 'voice',
}

/** Test helper: a place, e.g. `place('US', 'FL', 'America/New_York', 'America/Chicago')`. */
export function place(country: string, region: string | null, ...zones: string[]): Place {
  return { country, region, zones, source: 'area-code' }
}

/** Test helper: a call attempt by the test seller. */
export function call(at: Instant, overrides: Partial<CallAttempt> = {}): CallAttempt {
  return { at, campaignId: 'c1', sellerKey: 'acme', purpose: 'marketing', outcome: 'no-answer', ...overrides }
}

/** Test helper: decision facts with nothing recorded, for the given places. */
export function makeFacts(places: readonly Place[], overrides: Partial<DecisionFacts> = {}): DecisionFacts {
  return {
    phone: { e164: '+18505550100', country: 'US', callingCode: '1', national: '8505550100', npa: 850, nxx: 555 },
    campaign: TEST_CAMPAIGN,
    places,
    consentEvents: [],
    dncEntries: [],
    reassigned: [],
    registries: [],
    calls: [],
    abandonment: null,
    flags: { emergencies: [] },
    ...overrides,
  }
}
