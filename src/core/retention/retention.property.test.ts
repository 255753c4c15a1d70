import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { DAY, addMonthsUtc } from '../time/instant.js'
import { decide } from '../gate/decide.js'
import { STANDING_RULES } from '../gate/standing-rules.js'
import type { DecisionFacts } from '../gate/facts.js'
import type { Campaign, DialingMode, Purpose } from '../gate/campaign.js'
import type { ConsentEvent } from '../consent/consent-event.js'
import type { DncEntry } from '../dnc/dnc-entry.js'
import { normalizePhone } from '../phone/normalize.js'
import { DEFAULT_POLICY, applyPolicyDocument } from './policy.js'
import { planSubject } from './subject-plan.js'
import { holdsCovering, type LegalHold } from './holds.js'
import type { SubjectFacts } from './retention-facts.js'

/** A simulated clock over 10 years of synthetic activity, purging every 30 days. */
const T0 = Date.UTC(2020, 0, 1)
const YEARS10 = addMonthsUtc(T0, 120) - T0
const INTERVAL = 30 * DAY
const y = (t: number, n: number): number => addMonthsUtc(t, 12 * n)
const phone = (() => {
  const r = normalizePhone('+13052000001')
  if (!r.ok) throw new Error('phone')
  return r.phone
})()

type Ev =
  | { t: 'grant'; id: string; seller: string; kind: 'written' | 'express' | 'ebr-purchase' | 'ebr-inquiry'; channel: 'voice' | 'sms' | 'any'; at: number }
  | { t: 'revoke'; id: string; seller: string | null; at: number }
  | { t: 'dnc'; id: string; seller: string | null; at: number }
  | { t: 'rnd'; id: string; date: number; result: 'yes' | 'no' | 'no-data'; at: number }
  | { t: 'call'; id: string; seller: string; at: number }

const when = fc.integer({ min: T0, max: T0 + YEARS10 })
const seller = fc.constantFrom('acme', 'globex')
const ev: fc.Arbitrary<Ev> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ t: fc.constant('grant' as const), id: fc.uuid(), seller, kind: fc.constantFrom('written', 'express', 'ebr-purchase', 'ebr-inquiry'), channel: fc.constantFrom('voice', 'sms', 'any'), at: when }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('revoke' as const), id: fc.uuid(), seller: fc.option(seller, { nil: null }), at: when }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('dnc' as const), id: fc.uuid(), seller: fc.option(seller, { nil: null }), at: when }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('rnd' as const), id: fc.uuid(), date: when.map((d) => d - (d % DAY)), result: fc.constantFrom('yes', 'no', 'no-data'), at: when }).map((r) => ({ ...r, at: Math.max(r.at, r.date) })) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('call' as const), id: fc.uuid(), seller, at: when }) },
)
// ids made unique (fc.uuid() may repeat while shrinking)
const subjects = fc.array(fc.array(ev, { maxLength: 14 }), { minLength: 1, maxLength: 3 }).map((hs) => hs.map((h, i) => h.map((e, j): Ev => ({ ...e, id: `e${i}-${j}` }))))
const holdArb = fc.option(
  fc.record({
    kind: fc.constantFrom('phone', 'seller', 'all'),
    from: when,
    years: fc.integer({ min: 1, max: 4 }),
  }),
  { nil: null },
)

function factsOf(id: string, events: readonly Ev[], suppressedErasure: number | null = null): SubjectFacts {
  return {
    id,
    bidx: `b${id}`,
    createdAt: events.reduce((t, e) => Math.min(t, e.at), Number.POSITIVE_INFINITY),
    grants: events.flatMap((e) => (e.t === 'grant' ? [{ id: e.id, sellerKey: e.seller, kind: e.kind, at: e.at }] : [])),
    revocations: events.flatMap((e) => (e.t === 'revoke' ? [{ id: e.id, sellerKey: e.seller, at: e.at }] : [])),
    dncEntries: events.flatMap((e) => (e.t === 'dnc' ? [{ id: e.id, sellerKey: e.seller, at: e.at }] : [])),
    reassigned: events.flatMap((e) => (e.t === 'rnd' ? [{ id: e.id, date: e.date, result: e.result, queriedAt: e.at }] : [])),
    calls: events.flatMap((e) => (e.t === 'call' ? [{ id: e.id, campaignId: `c-${e.seller}`, sellerKey: e.seller, at: e.at }] : [])),
    erasureAt: suppressedErasure,
  }
}

/** The legal floor of a record, computed independently from rules.md table (f) over the calls made by `now`. */
function legalFloor(e: Ev, all: readonly Ev[], now: number): number {
  switch (e.t) {
    case 'grant': {
      let last = e.at
      for (const c of all) if (c.t === 'call' && c.seller === e.seller && c.at >= e.at && c.at <= now) last = Math.max(last, c.at)
      return Math.max(y(e.at, 5), y(last, 4))
    }
    default:
      return y(e.at, 5)
  }
}

function gate(events: readonly Ev[], suppressions: readonly DncEntry[], camp: Campaign, at: number, listed: boolean): string {
  const consentEvents: ConsentEvent[] = events.flatMap((e): ConsentEvent[] =>
    e.t === 'grant' ? [{ type: 'grant', id: e.id, sellerKey: e.seller, kind: e.kind, channel: e.channel, at: e.at }] : e.t === 'revoke' ? [{ type: 'revoke', id: e.id, sellerKey: e.seller, via: null, at: e.at }] : [],
  )
  const facts: DecisionFacts = {
    phone,
    campaign: camp,
    places: [],
    consentEvents: [...consentEvents].sort((a, b) => a.at - b.at),
    dncEntries: [...events.flatMap((e): DncEntry[] => (e.t === 'dnc' ? [{ id: e.id, sellerKey: e.seller, at: e.at, origin: 'request' }] : [])), ...suppressions],
    reassigned: events.flatMap((e) => (e.t === 'rnd' ? [{ date: e.date, result: e.result, queriedAt: e.at }] : [])),
    registries: [{ registry: 'us-national', kind: 'national', version: { id: 'v', asOf: at - DAY }, listed }],
    calls: [],
    abandonment: null,
    flags: { emergencies: [] },
  }
  return decide(facts, STANDING_RULES, at).verdict
}

const CAMPAIGNS: Campaign[] = (['acme', 'globex'] as const).flatMap((s) =>
  (['marketing', 'informational'] as Purpose[]).flatMap((purpose) =>
    (['autodialed', 'manual'] as DialingMode[]).map((dialing) => ({ id: `c-${s}-${purpose}-${dialing}`, seller: s, sellerKey: s, purpose, dialing, channel: 'voice' as const })),
  ),
)

describe('retention over 10 simulated years (property)', () => {
  it('never deletes before the floor, never keeps past the ceiling + one interval, keeps held data, never flips a verdict', () => {
    let deletions = 0
    fc.assert(
      fc.property(subjects, holdArb, fc.boolean(), (histories, holdSpec, listed) => {
        const holds: LegalHold[] = holdSpec
          ? [{ id: 'H', scope: holdSpec.kind === 'phone' ? { kind: 'phone', bidx: 'b0' } : holdSpec.kind === 'seller' ? { kind: 'seller', sellerKey: 'acme' } : { kind: 'all' }, createdAt: holdSpec.from, until: y(holdSpec.from, holdSpec.years), releasedAt: null }]
          : []
        const live = histories.map((h) => new Set(h.map((e) => e.id)))
        const sup: DncEntry[][] = histories.map(() => [])
        for (let now = T0; now <= y(T0, 18); now += INTERVAL) {
          histories.forEach((all, i) => {
            const visible = all.filter((e) => e.at <= now)
            const alive = visible.filter((e) => live[i]!.has(e.id))
            const facts = factsOf(String(i), alive)
            const activeHolds = holds.filter((h) => h.createdAt <= now)
            const plan = planSubject(facts, DEFAULT_POLICY, activeHolds, now)
            const dueIds = new Set(plan.due.filter((r) => r.table !== 'subjects').map((r) => r.id))
            // holds: nothing of a held subject goes
            const fullFacts = factsOf(String(i), visible)
            // (a seller hold covers the sellers of the records still stored: a record purged before the
            // hold was placed cannot make the rest of the person's records the seller's)
            if (holdsCovering(activeHolds, { bidx: `b${i}`, sellerKeys: new Set(alive.flatMap((e) => ('seller' in e && e.seller ? [e.seller] : []))), campaignIds: new Set() }, now).length > 0) {
              expect(dueIds.size).toBe(0)
            }
            // floors
            for (const e of alive) if (dueIds.has(e.id)) expect(now, `${e.t} deleted before its floor`).toBeGreaterThanOrEqual(legalFloor(e, all, now))
            // verdicts before and after
            const before = CAMPAIGNS.map((c) => gate(alive, sup[i]!, c, now, listed))
            const remaining = alive.filter((e) => !dueIds.has(e.id))
            const newSup = plan.suppressions.map((s, k): DncEntry => ({ id: `s${now}-${k}`, sellerKey: s.sellerKey, at: s.at, origin: s.origin }))
            const after = CAMPAIGNS.map((c) => gate(remaining, [...sup[i]!, ...newSup], c, now, listed))
            before.forEach((v, k) => {
              if (v === 'block') expect(after[k], `${CAMPAIGNS[k]!.id} flipped to allow`).toBe('block')
            })
            // apply
            for (const id of dueIds) live[i]!.delete(id)
            deletions += dueIds.size
            sup[i]!.push(...newSup)
            // ceilings: whatever survives a purge is not past its ceiling (computed over the full history)
            const fullPlan = planSubject(fullFacts, DEFAULT_POLICY, [], now)
            const held = plan.holds.length > 0
            if (!held) for (const r of fullPlan.schedule) if (r.table !== 'subjects' && live[i]!.has(r.id)) expect(r.dueAt, `${r.recordClass} outlived its ceiling`).toBeGreaterThan(now)
          })
        }
      }),
      { numRuns: 100 },
    )
    expect(deletions).toBeGreaterThan(100)
  })

  it('keeps a consent while it is in force and for 5 years after it ends', () => {
    const g = { id: 'g', sellerKey: 'acme', kind: 'written', at: T0 }
    const base = factsOf('0', [])
    const inForce: SubjectFacts = { ...base, createdAt: T0, grants: [g] }
    expect(planSubject(inForce, DEFAULT_POLICY, [], y(T0, 30)).due).toEqual([])
    const revoked: SubjectFacts = { ...inForce, revocations: [{ id: 'r', sellerKey: null, at: y(T0, 1) }], calls: [{ id: 'c', campaignId: 'c', sellerKey: 'acme', at: y(T0, 2) }] }
    // the last call relying on it (year 2) + 5 years
    expect(planSubject(revoked, DEFAULT_POLICY, [], y(T0, 7) - 1).due.map((r) => r.id)).toEqual(['c'].filter(() => false))
    expect(planSubject(revoked, DEFAULT_POLICY, [], y(T0, 7)).due.map((r) => r.id)).toContain('g')
    // the revocation waits for its ceiling (10 years) and leaves a suppression entry
    const at11 = planSubject(revoked, DEFAULT_POLICY, [], y(T0, 11))
    expect(at11.due.map((r) => r.id).sort()).toEqual(['0', 'c', 'g', 'r'])
    expect(at11.subjectDue).toBe(true)
    expect(at11.suppressions).toEqual([{ sellerKey: null, at: y(T0, 1), origin: 'revocation' }])
  })

  it('keeps a revocation while a consent it ended is kept (else the consent would look valid again)', () => {
    const f: SubjectFacts = {
      ...factsOf('0', []),
      createdAt: T0,
      grants: [{ id: 'g', sellerKey: 'acme', kind: 'express', at: T0 }],
      revocations: [{ id: 'r', sellerKey: 'acme', at: y(T0, 1) }],
      calls: [{ id: 'c', campaignId: 'c', sellerKey: 'acme', at: y(T0, 8) }],
    }
    const due = planSubject(f, DEFAULT_POLICY, [], y(T0, 12)).due.map((r) => r.id)
    expect(due).not.toContain('g')
    expect(due).not.toContain('r')
    expect(planSubject(f, DEFAULT_POLICY, [], y(T0, 13)).due.map((r) => r.id).sort()).toEqual(['0', 'c', 'g', 'r'])
  })

  it('an erasure request shrinks ceilings to floors', () => {
    const f: SubjectFacts = { ...factsOf('0', []), createdAt: T0, dncEntries: [{ id: 'd', sellerKey: null, at: T0 }], erasureAt: y(T0, 1) }
    expect(planSubject(f, DEFAULT_POLICY, [], y(T0, 5)).due.map((r) => r.id).sort()).toEqual(['0', 'd'])
  })
})

describe('operator policy files', () => {
  it('may lengthen a ceiling or shorten it down to the floor', () => {
    const p = applyPolicyDocument({ ceilings: { 'dnc-requests': { years: 5 }, 'call-records': { years: 7 } } })
    expect(p['dnc-requests'].ceiling).toEqual({ months: 60 })
    expect(p['call-records'].ceiling).toEqual({ months: 84 })
  })
  it('refuses a ceiling below a floor, naming the class and the rule', () => {
    expect(() => applyPolicyDocument({ ceilings: { 'call-records': { years: 4 } } })).toThrow(/call-records ceiling 4 years is below the legal floor of 5 years: .*16 CFR 310\.5\(a\)\(2\)/)
    expect(() => applyPolicyDocument({ ceilings: { 'consent-evidence': { days: 1000 } } })).toThrow(/consent-evidence.*16 CFR 310\.5\(a\)\(8\)/)
  })
  it('refuses unknown classes, classes without a ceiling and malformed periods', () => {
    expect(() => applyPolicyDocument({ ceilings: { 'everything': { years: 5 } } })).toThrow(/unknown record class/)
    expect(() => applyPolicyDocument({ ceilings: { 'audit-log': { years: 9 } } })).toThrow(/audit-log has no ceiling/)
    expect(() => applyPolicyDocument({ ceilings: { 'call-records': { years: -1 } } })).toThrow(/whole number/)
    expect(() => applyPolicyDocument([])).toThrow(/JSON object/)
  })
})
