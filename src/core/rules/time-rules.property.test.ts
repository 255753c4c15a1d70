import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { DecisionFacts } from '../gate/facts.js'
import type { Place } from '../gate/place.js'
import { HOUR } from '../time/instant.js'
import { DEFAULT_PACK } from './default-pack.js'
import { compilePack, governs, rulesForPlace } from './compiled-pack.js'
import { nextAllowedAt } from '../gate/decide.js'
import { windowByWeekday } from './rule-pack.js'
import { TEST_CAMPAIGN, call, makeFacts } from '../../../test/support/gate-facts.js'
import { timeRules } from './time-rules.js'

const ZONES = [
  'America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/Los_Angeles',
  'America/Anchorage', 'Pacific/Honolulu', 'America/St_Johns', 'America/Halifax', 'America/Regina',
  'America/Boise', 'America/Toronto', 'Europe/London', 'America/Santiago', 'Asia/Kathmandu',
]
const JURISDICTIONS: [string, string | null][] = [
  ['US', 'FL'], ['US', 'RI'], ['US', 'AL'], ['US', 'MS'], ['US', 'LA'], ['US', 'CT'], ['US', 'PA'],
  ['US', 'KY'], ['US', 'UT'], ['US', 'NY'], ['US', null], ['CA', 'ON'], ['CA', 'NL'], ['GB', null],
]
const START = Date.parse('2020-01-01T00:00:00Z')
const END = Date.parse('2032-01-01T00:00:00Z')

const arbPlace: fc.Arbitrary<Place> = fc.record({
  j: fc.constantFrom(...JURISDICTIONS),
  zones: fc.uniqueArray(fc.constantFrom(...ZONES), { minLength: 1, maxLength: 3 }),
}).map(({ j, zones }) => ({ country: j[0], region: j[1], zones, source: 'area-code' as const }))

const arbFacts = (at: number): fc.Arbitrary<DecisionFacts> =>
  fc.record({
    places: fc.array(arbPlace, { minLength: 1, maxLength: 3 }),
    callOffsets: fc.array(fc.integer({ min: -30 * HOUR, max: 0 }), { maxLength: 5 }),
    purpose: fc.constantFrom('marketing' as const, 'informational' as const),
  }).map(({ places, callOffsets, purpose }) =>
    makeFacts(places, { calls: callOffsets.map((o) => call(at + o)), campaign: { ...TEST_CAMPAIGN, purpose } }))

const arbCase = fc.integer({ min: START, max: END }).chain((at) => arbFacts(at).map((facts) => ({ at, facts })))

const rules = timeRules(DEFAULT_PACK)
const cp = compilePack(DEFAULT_PACK)
const blocked = (facts: DecisionFacts, t: number): boolean => rules.some((r) => r.evaluate(facts, t).length > 0)

describe('time rules (fast-check)', () => {
  it('(a) nextAllowedAt converges, is allowed by every time rule, and is the earliest such instant', () => {
    fc.assert(
      fc.property(arbCase, ({ at, facts }) => {
        const next = nextAllowedAt(facts, rules, at)
        if (next === null) return
        expect(next).toBeGreaterThanOrEqual(at)
        expect(blocked(facts, next)).toBe(false)
        if (next > at) expect(blocked(facts, next - 1)).toBe(true)
      }),
      { numRuns: 400 },
    )
  })

  it('each rule\'s clearsAt is later than t and that rule no longer blocks there', () => {
    fc.assert(
      fc.property(arbCase, ({ at, facts }) => {
        for (const r of rules) {
          if (r.evaluate(facts, at).length === 0 || r.clearsAt === undefined) continue
          const c = r.clearsAt(facts, at)
          if (c === null) continue
          expect(c).toBeGreaterThan(at)
          expect(r.evaluate(facts, c)).toEqual([])
        }
      }),
      { numRuns: 400 },
    )
  })

  it('(b) no instant inside any candidate zone\'s forbidden hours, for any candidate place\'s window, is allowed (checked against a fresh Intl reading)', () => {
    const formats = new Map<string, Intl.DateTimeFormat>()
    const oracle = (zone: string, t: number): { weekday: number; minute: number } => {
      let f = formats.get(zone)
      if (!f) formats.set(zone, (f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', weekday: 'short', hour: 'numeric', minute: 'numeric' })))
      const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, x.value]))
      return { weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p['weekday']!), minute: +p['hour']! * 60 + +p['minute']! }
    }
    fc.assert(
      fc.property(arbCase, ({ at, facts }) => {
        if (rules[0]!.evaluate(facts, at).length > 0) return
        // CONTRACT "Places": each place's window applies in every candidate zone, not only its own
        const allZones = [...new Set(facts.places.flatMap((p) => p.zones))]
        for (const place of facts.places) {
          for (const r of rulesForPlace(cp, place)) {
            if (!r.entry.window || !governs(r, facts.campaign)) continue
            const byDay = windowByWeekday(r.entry.window)
            for (const zone of [...allZones, ...(r.fixedZone ? [r.fixedZone] : [])]) {
              const { weekday, minute } = oracle(zone, at)
              const w = byDay[weekday]
              if (w) expect(minute >= w[0] && minute < w[1], `${r.id} ${zone}`).toBe(true)
            }
          }
        }
      }),
      { numRuns: 2000 },
    )
  })

  it('(c) adding a candidate place never turns a block into an allow', () => {
    fc.assert(
      fc.property(arbCase, arbPlace, ({ at, facts }, extra) => {
        const more = { ...facts, places: [...facts.places, extra] }
        for (const r of rules) {
          if (r.evaluate(facts, at).length > 0) expect(r.evaluate(more, at).length).toBeGreaterThan(0)
        }
        const a = nextAllowedAt(facts, rules, at)
        const b = nextAllowedAt(more, rules, at)
        if (b !== null) expect(a === null || a <= b).toBe(true)
      }),
      { numRuns: 300 },
    )
  })

  it('(d) windows and days depend on the candidate places and the union of their zones, not on which place names which zone', () => {
    fc.assert(
      fc.property(arbCase, ({ at, facts }) => {
        const union = [...new Set(facts.places.flatMap((p) => p.zones))]
        const spread = { ...facts, places: facts.places.map((p) => ({ ...p, zones: union })) }
        for (const r of rules.slice(0, 2)) expect(r.evaluate(spread, at).length > 0, r.id).toBe(r.evaluate(facts, at).length > 0)
        expect(nextAllowedAt(spread, rules, at)).toBe(nextAllowedAt(facts, rules, at))
      }),
      { numRuns: 300 },
    )
  })
})
