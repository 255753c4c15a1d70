import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { decide } from './decide.js'
import { STANDING_RULES } from './standing-rules.js'
import type { DecisionFacts, RegistryFact } from './facts.js'
import type { ConsentEvent } from '../consent/consent-event.js'
import type { DncEntry } from '../dnc/dnc-entry.js'
import type { Campaign, DialingMode, Purpose } from './campaign.js'
import { timeRules } from '../rules/time-rules.js'
import { DEFAULT_PACK } from '../rules/default-pack.js'
import { candidatePlaces } from '../phone/places.js'
import { normalizePhone } from '../phone/normalize.js'
import { DAY } from '../time/instant.js'

const RULES = [...STANDING_RULES, ...timeRules(DEFAULT_PACK)]
const START = Date.UTC(2026, 0, 1)
const SPAN = 365 * DAY
const phoneOf = (s: string) => {
  const r = normalizePhone(s)
  if (!r.ok) throw new Error(s)
  return r.phone
}
const PHONES = ['+13052000001', '+18502000001', '+14162000001', '+12082000001', '+16022000001'].map(phoneOf)

const instant = fc.integer({ min: START, max: START + SPAN })
const seller = fc.constantFrom('acme', 'globex')
const grant: fc.Arbitrary<ConsentEvent> = fc.record({
  type: fc.constant('grant' as const),
  id: fc.uuid(),
  sellerKey: seller,
  kind: fc.constantFrom('written', 'express', 'ebr-purchase', 'ebr-inquiry'),
  channel: fc.constantFrom('voice', 'sms', 'any'),
  at: instant,
})
const revoke: fc.Arbitrary<ConsentEvent> = fc.record({
  type: fc.constant('revoke' as const),
  id: fc.uuid(),
  sellerKey: fc.option(seller, { nil: null }),
  via: fc.constant(null),
  at: instant,
})
const dnc: fc.Arbitrary<DncEntry> = fc.record({ id: fc.uuid(), sellerKey: fc.option(seller, { nil: null }), at: instant, origin: fc.constant('request' as const) })

const factsArb = fc
  .record({
    phone: fc.constantFrom(...PHONES),
    purpose: fc.constantFrom<Purpose>('marketing', 'informational'),
    dialing: fc.constantFrom<DialingMode>('autodialed', 'prerecorded', 'manual'),
    events: fc.array(fc.oneof(grant, grant, revoke), { maxLength: 6 }),
    dncEntries: fc.array(dnc, { maxLength: 2 }),
    listed: fc.boolean(),
    asOfAgo: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null }),
    reassignedYes: fc.option(instant, { nil: null }),
    at: instant,
  })
  .map(({ phone, purpose, dialing, events, dncEntries, listed, asOfAgo, reassignedYes, at }) => {
    const campaign: Campaign = { id: 'c', seller: 'Acme', sellerKey: 'acme', purpose, dialing, channel: 'voice' }
    const national = phone.country === 'CA' ? 'ca-national' : 'us-national'
    const registries: RegistryFact[] = [
      { registry: national, kind: 'national', version: asOfAgo === null ? null : { id: 'v', asOf: Math.floor(at / DAY) * DAY - asOfAgo * DAY }, listed: asOfAgo !== null && listed },
    ]
    const facts: DecisionFacts = {
      phone,
      campaign,
      places: candidatePlaces(phone),
      consentEvents: events,
      dncEntries,
      reassigned: reassignedYes === null ? [] : [{ date: Math.floor(reassignedYes / DAY) * DAY, result: 'yes', queriedAt: reassignedYes }],
      registries,
      calls: [],
      abandonment: null,
      flags: { emergencies: [] },
    }
    return { facts, at }
  })

describe('decide() properties', () => {
  it('blocks exactly when it gives reasons; every reason code is a contract code with a rule', () => {
    fc.assert(
      fc.property(factsArb, ({ facts, at }) => {
        const d = decide(facts, RULES, at)
        expect(d.verdict === 'block').toBe(d.reasons.length > 0)
        for (const r of d.reasons) expect(r.rule.length).toBeGreaterThan(5)
        if (d.verdict === 'allow') expect(d.nextAllowedAt).toBeNull()
        if (d.nextAllowedAt !== null) expect(d.nextAllowedAt).toBeGreaterThanOrEqual(at)
      }),
      { numRuns: 400 },
    )
  })

  it('a do-not-call request or a revocation never turns a block into an allow', () => {
    fc.assert(
      fc.property(factsArb, dnc, revoke, ({ facts, at }, extraDnc, extraRevoke) => {
        const before = decide(facts, RULES, at)
        const withDnc = decide({ ...facts, dncEntries: [...facts.dncEntries, extraDnc] }, RULES, at)
        const withRevoke = decide({ ...facts, consentEvents: [...facts.consentEvents, extraRevoke] }, RULES, at)
        if (before.verdict === 'block') {
          expect(withDnc.verdict).toBe('block')
          expect(withRevoke.verdict).toBe('block')
        }
      }),
      { numRuns: 400 },
    )
  })

  it('manual calls never need consent; informational calls never hit do-not-call lists', () => {
    fc.assert(
      fc.property(factsArb, ({ facts, at }) => {
        const codes = decide(facts, RULES, at).reasons.map((r) => r.code)
        if (facts.campaign.dialing === 'manual') {
          expect(codes).not.toContain('NO_CONSENT')
          expect(codes).not.toContain('CONSENT_REVOKED')
          expect(codes).not.toContain('REASSIGNED_NUMBER')
        }
        if (facts.campaign.purpose === 'informational') {
          for (const c of ['INTERNAL_DNC', 'NATIONAL_DNC', 'STATE_DNC', 'REGISTRY_STALE']) expect(codes).not.toContain(c)
        }
      }),
      { numRuns: 400 },
    )
  })

  it('exemptions by country: express consent lifts a Canadian listing, never a US one (CONTRACT "Exemptions by country")', () => {
    const registryCodes = (facts: DecisionFacts, at: number): string[] =>
      decide(facts, RULES, at).reasons.map((r) => r.code).filter((c) => c === 'NATIONAL_DNC' || c === 'REGISTRY_STALE')
    fc.assert(
      fc.property(factsArb, fc.integer({ min: 0, max: 30 * DAY }), ({ facts, at }, ago) => {
        if (facts.campaign.purpose !== 'marketing') return
        const express: ConsentEvent = { type: 'grant', id: 'x', sellerKey: 'acme', kind: 'express', channel: 'any', at: at - ago }
        const withExpress = { ...facts, consentEvents: [...facts.consentEvents, express] }
        // a later revocation or reassigned result may still end the grant; without them it stands
        const untouched = !facts.consentEvents.some((e) => e.type === 'revoke' && e.at >= at - ago && e.at <= at) &&
          !facts.reassigned.some((r) => r.result === 'yes' && r.date >= Math.floor((at - ago) / DAY) * DAY)
        if (facts.phone!.country === 'CA' && untouched) expect(registryCodes(withExpress, at)).toEqual([])
        if (facts.phone!.country === 'US') expect(registryCodes(withExpress, at)).toEqual(registryCodes(facts, at))
      }),
      { numRuns: 400 },
    )
  })

  it('nextAllowedAt, fed back as the decision instant, is allowed (when nothing else changes)', () => {
    fc.assert(
      fc.property(factsArb, ({ facts, at }) => {
        const d = decide(facts, RULES, at)
        if (d.nextAllowedAt === null) return
        expect(decide(facts, RULES, d.nextAllowedAt).verdict).toBe('allow')
      }),
      { numRuns: 400 },
    )
  })

  it('an invalid number gets INVALID_NUMBER and nothing else', () => {
    fc.assert(
      fc.property(factsArb, ({ facts, at }) => {
        const d = decide({ ...facts, phone: null }, RULES, at)
        expect(d.reasons.map((r) => r.code)).toEqual(['INVALID_NUMBER'])
        expect(d.nextAllowedAt).toBeNull()
      }),
      { numRuns: 100 },
    )
  })
})
