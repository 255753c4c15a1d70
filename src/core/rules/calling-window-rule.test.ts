import { describe, expect, it } from 'vitest'
import type { Place } from '../gate/place.js'
import { DEFAULT_PACK } from './default-pack.js'
import { callingWindowRule } from './calling-window-rule.js'
import { compilePack } from './compiled-pack.js'
import { nextAllowedAt } from '../gate/decide.js'
import { TEST_CAMPAIGN, makeFacts, place } from '../../../test/support/gate-facts.js'
import { timeRules } from './time-rules.js'

const iso = (s: string): number => Date.parse(s)
const rule = callingWindowRule(compilePack(DEFAULT_PACK))
const rules = timeRules(DEFAULT_PACK)
const codes = (places: Place[], at: string) => rule.evaluate(makeFacts(places), iso(at)).map((r) => r.code)
const clears = (places: Place[], at: string) => {
  const t = rule.clearsAt!(makeFacts(places), iso(at))
  return t === null ? null : new Date(t).toISOString()
}

describe('calling window: US federal 08:00-21:00 across DST (New York)', () => {
  const ny = [place('US', 'NY', 'America/New_York')]
  it('spring forward (2026-03-08): 07:59 EDT blocked, opens at 08:00 EDT = 12:00 UTC', () => {
    expect(codes(ny, '2026-03-08T06:00:00Z')).toEqual(['CALLING_HOURS'])
    expect(codes(ny, '2026-03-08T11:59:59Z')).toEqual(['CALLING_HOURS'])
    expect(clears(ny, '2026-03-08T06:00:00Z')).toBe('2026-03-08T12:00:00.000Z')
    expect(codes(ny, '2026-03-08T12:00:00Z')).toEqual([])
  })
  it('fall back (2026-11-01): at 01:30 EDT the window opens at 08:00 EST = 13:00 UTC', () => {
    expect(codes(ny, '2026-11-01T05:30:00Z')).toEqual(['CALLING_HOURS'])
    expect(clears(ny, '2026-11-01T05:30:00Z')).toBe('2026-11-01T13:00:00.000Z')
    expect(codes(ny, '2026-11-01T12:59:00Z')).toEqual(['CALLING_HOURS'])
    expect(codes(ny, '2026-11-01T13:00:00Z')).toEqual([])
  })
  it('an operator window opening inside the gap opens at the first instant after it', () => {
    const cp = compilePack({ name: 'op', version: '1', entries: [
      { id: 'night', appliesTo: { country: 'US' }, window: { daily: ['02:30', '04:00'] }, source: 'test', confidence: 'operator' },
    ] })
    const r = callingWindowRule(cp)
    const facts = makeFacts(ny)
    expect(r.clearsAt!(facts, iso('2026-03-08T05:00:00Z'))).toBe(iso('2026-03-08T07:00:00Z'))
    expect(r.evaluate(facts, iso('2026-03-08T07:00:00Z'))).toEqual([])
    // fall back (Nov 1): 02:30 occurs once, after the repeated 01:00 hour: 02:30 EST = 07:30 UTC
    expect(r.clearsAt!(facts, iso('2026-11-01T04:00:00Z'))).toBe(iso('2026-11-01T07:30:00Z'))
  })
})

describe('calling window: zones without DST, far west, half-hour', () => {
  it('Arizona (Phoenix, MST all year) vs Denver in summer', () => {
    expect(codes([place('US', 'AZ', 'America/Phoenix')], '2026-07-01T14:30:00Z')).toEqual(['CALLING_HOURS'])
    expect(codes([place('US', 'CO', 'America/Denver')], '2026-07-01T14:30:00Z')).toEqual([])
    expect(clears([place('US', 'AZ', 'America/Phoenix')], '2026-07-01T14:30:00Z')).toBe('2026-07-01T15:00:00.000Z')
    // winter: both open at 15:00 UTC
    expect(clears([place('US', 'CO', 'America/Denver')], '2026-01-14T14:30:00Z')).toBe('2026-01-14T15:00:00.000Z')
  })
  it('Hawaii: 08:00-21:00 HST = 18:00-07:00 UTC', () => {
    const hi = [place('US', 'HI', 'Pacific/Honolulu')]
    expect(codes(hi, '2026-07-01T17:59:00Z')).toEqual(['CALLING_HOURS'])
    expect(codes(hi, '2026-07-01T18:00:00Z')).toEqual([])
    expect(codes(hi, '2026-07-02T06:59:00Z')).toEqual([])
    expect(codes(hi, '2026-07-02T07:00:00Z')).toEqual(['CALLING_HOURS'])
  })
  it('Alaska: opens 16:00 UTC in summer (AKDT), 17:00 UTC in winter (AKST)', () => {
    const ak = [place('US', 'AK', 'America/Anchorage')]
    expect(clears(ak, '2026-07-01T12:00:00Z')).toBe('2026-07-01T16:00:00.000Z')
    expect(clears(ak, '2026-01-14T12:00:00Z')).toBe('2026-01-14T17:00:00.000Z')
  })
  it('Newfoundland (NST -3:30): Canada weekday window opens 09:00 = 12:30 UTC in winter', () => {
    const nl = [place('CA', 'NL', 'America/St_Johns')]
    const r = rule.evaluate(makeFacts(nl), iso('2026-01-14T12:29:00Z'))
    expect(r).toHaveLength(1)
    expect(r[0]!.message).toContain('08:59 in America/St_Johns')
    expect(clears(nl, '2026-01-14T12:00:00Z')).toBe('2026-01-14T12:30:00.000Z')
    expect(codes(nl, '2026-01-14T12:30:00Z')).toEqual([])
    // 21:30 NST = 01:00 UTC next day
    expect(codes(nl, '2026-01-15T00:59:00Z')).toEqual([])
    expect(codes(nl, '2026-01-15T01:00:00Z')).toEqual(['CALLING_HOURS'])
  })
})

describe('calling window: split area codes and state windows', () => {
  const p850 = [place('US', 'FL', 'America/New_York', 'America/Chicago')]
  it('850 (Eastern + Central): at 08:00 Eastern it is 07:00 Central, blocked until 14:00 UTC in winter', () => {
    const r = rule.evaluate(makeFacts(p850), iso('2026-01-14T13:00:00Z'))
    expect(r.map((x) => x.rule)).toEqual([
      'US calling window 08:00-21:00, 47 CFR 64.1200(c)(1); 16 CFR 310.4(c)',
      'US-FL calling window 08:00-20:00, Fla. Stat. 501.616(6)',
    ])
    expect(r[0]!.message).toBe('Local time Wed 2026-01-14 07:00 in America/Chicago is outside the US calling window 08:00-21:00')
    expect(clears(p850, '2026-01-14T13:00:00Z')).toBe('2026-01-14T14:00:00.000Z')
    // evening: 20:00 Eastern (01:00 UTC) closes FL even though it is 19:00 Central
    expect(codes(p850, '2026-01-15T00:59:59Z')).toEqual([])
    expect(codes(p850, '2026-01-15T01:00:00Z')).toEqual(['CALLING_HOURS'])
  })
  it('other split NPAs (208 ID Mountain+Pacific, 541 OR, 270 KY, 915 TX) need every zone open', () => {
    expect(clears([place('US', 'ID', 'America/Boise', 'America/Los_Angeles')], '2026-01-14T12:00:00Z')).toBe('2026-01-14T16:00:00.000Z')
    expect(clears([place('US', 'OR', 'America/Los_Angeles', 'America/Boise')], '2026-07-01T12:00:00Z')).toBe('2026-07-01T15:00:00.000Z')
    // KY 10:00-21:00 in Eastern and Central: opens 10:00 CST = 16:00 UTC, closes 21:00 EST = 02:00 UTC
    const ky = [place('US', 'KY', 'America/New_York', 'America/Chicago')]
    expect(clears(ky, '2026-01-14T12:00:00Z')).toBe('2026-01-14T16:00:00.000Z')
    expect(codes(ky, '2026-01-15T02:00:00Z')).toEqual(['CALLING_HOURS', 'CALLING_HOURS']) // US and US-KY
    expect(clears([place('US', 'TX', 'America/Chicago', 'America/Denver')], '2026-01-14T12:00:00Z')).toBe('2026-01-14T15:00:00.000Z')
  })
  it('FL end is exclusive: 19:59 allowed, 20:00 blocked until 08:00 next day', () => {
    const fl = [place('US', 'FL', 'America/New_York')]
    expect(codes(fl, '2026-01-15T00:59:59.999Z')).toEqual([])
    expect(rule.evaluate(makeFacts(fl), iso('2026-01-15T01:00:00Z'))).toEqual([{
      code: 'CALLING_HOURS',
      message: 'Local time Wed 2026-01-14 20:00 in America/New_York is outside the US-FL calling window 08:00-20:00',
      rule: 'US-FL calling window 08:00-20:00, Fla. Stat. 501.616(6)',
    }])
    expect(clears(fl, '2026-01-15T01:00:00Z')).toBe('2026-01-15T13:00:00.000Z')
  })
  it('Canada weekends 10:00-18:00, weekdays 09:00-21:30 (Toronto)', () => {
    const on = [place('CA', 'ON', 'America/Toronto')]
    expect(codes(on, '2026-01-17T14:30:00Z')).toEqual(['CALLING_HOURS']) // Sat 09:30
    expect(clears(on, '2026-01-17T14:30:00Z')).toBe('2026-01-17T15:00:00.000Z')
    expect(codes(on, '2026-01-17T22:59:00Z')).toEqual([]) // Sat 17:59
    expect(codes(on, '2026-01-17T23:00:00Z')).toEqual(['CALLING_HOURS']) // Sat 18:00
    expect(clears(on, '2026-01-17T23:00:00Z')).toBe('2026-01-18T15:00:00.000Z') // Sun 10:00
    expect(clears(on, '2026-01-18T23:00:00Z')).toBe('2026-01-19T14:00:00.000Z') // Mon 09:00
    expect(codes(on, '2026-01-20T02:29:00Z')).toEqual([]) // Mon 21:29
  })
  it('MS is checked in fixed CST too: 08:30 CDT (07:30 CST) is blocked in summer', () => {
    const ms = [place('US', 'MS', 'America/Chicago')]
    const r = rule.evaluate(makeFacts(ms), iso('2026-07-01T13:30:00Z'))
    expect(r.map((x) => x.rule)).toEqual(['US-MS calling window 08:00-20:00 (local time and Etc/GMT+6), Miss. Code 77-3-723'])
    expect(r[0]!.message).toContain('07:30 in Etc/GMT+6')
    expect(clears(ms, '2026-07-01T13:30:00Z')).toBe('2026-07-01T14:00:00.000Z')
    expect(codes(ms, '2026-01-14T14:00:00Z')).toEqual([]) // 08:00 CST in winter
  })
  it('one reason per jurisdiction across places, all jurisdictions named', () => {
    const r = rule.evaluate(makeFacts([...p850, place('US', 'FL', 'America/New_York')]), iso('2026-01-14T12:00:00Z'))
    expect(r.map((x) => x.rule.split(' ')[0]).sort()).toEqual(['US', 'US-FL'])
  })
  it('a place without zones fails closed and never clears', () => {
    expect(codes([place('US', 'FL')], '2026-01-14T16:00:00Z')).toEqual(['CALLING_HOURS', 'CALLING_HOURS'])
    expect(clears([place('US', 'FL')], '2026-01-14T16:00:00Z')).toBeNull()
  })
  it('applies to informational campaigns too; purposes narrow it', () => {
    const info = makeFacts([place('US', 'FL', 'America/New_York')], { campaign: { ...TEST_CAMPAIGN, purpose: 'informational' } })
    expect(rule.evaluate(info, iso('2026-01-15T01:00:00Z')).map((x) => x.code)).toEqual(['CALLING_HOURS'])
    const cp = compilePack({ name: 'op', version: '1', entries: [
      { id: 'mk', appliesTo: { country: 'US' }, purposes: ['marketing'], window: { daily: ['10:00', '11:00'] }, source: 'x', confidence: 'operator' },
    ] })
    expect(callingWindowRule(cp).evaluate(info, iso('2026-01-14T20:00:00Z'))).toEqual([])
  })
  it('windows that never overlap across zones give null (waiting cannot help)', () => {
    const cp = compilePack({ name: 'op', version: '1', entries: [
      { id: 'narrow', appliesTo: { country: 'US' }, window: { daily: ['08:00', '09:00'] }, source: 'x', confidence: 'operator' },
    ] })
    const facts = makeFacts([place('US', 'CA', 'America/New_York', 'America/Los_Angeles')])
    expect(callingWindowRule(cp).clearsAt!(facts, iso('2026-01-14T12:00:00Z'))).toBeNull()
  })
  it('next allowed across all time rules, fed back, is allowed', () => {
    const facts = makeFacts(p850)
    const t = nextAllowedAt(facts, rules, iso('2026-01-14T13:00:00Z'))
    expect(t).toBe(iso('2026-01-14T14:00:00Z'))
    expect(rules.flatMap((r) => r.evaluate(facts, t!))).toEqual([])
  })
})

describe('every candidate place in every candidate zone (CONTRACT "Places")', () => {
  // a Connecticut (Eastern) number whose consumer gave a Washington (Pacific) address
  const ctWa = [place('US', 'CT', 'America/New_York'), { ...place('US', 'WA', 'America/Los_Angeles'), source: 'address' as const }]
  it("Connecticut's 09:00 start binds in the Pacific zone too: 08:30 Pacific is blocked", () => {
    const r = rule.evaluate(makeFacts(ctWa), iso('2026-12-01T16:30:00Z'))
    expect(r.map((x) => x.rule)).toEqual(['US-CT calling window 09:00-20:00, CGS 42-288a (SB 1058)'])
    expect(r[0]!.message).toContain('America/Los_Angeles')
    expect(clears(ctWa, '2026-12-01T16:30:00Z')).toBe('2026-12-01T17:00:00.000Z')
    expect(nextAllowedAt(makeFacts(ctWa), rules, iso('2026-12-01T16:30:00Z'))).toBe(iso('2026-12-01T17:00:00Z'))
  })
  it("Washington's 20:00 end binds in the Eastern zone: 20:30 Eastern is blocked by WA", () => {
    const r = rule.evaluate(makeFacts(ctWa), iso('2026-12-02T01:30:00Z'))
    expect(r.map((x) => x.rule.split(' ')[0])).toEqual(['US-CT', 'US-WA'])
  })
  it('a place with no known zone still fails closed', () => {
    const noZone = [place('US', 'CT', 'America/New_York'), place('US', 'WA')]
    const r = rule.evaluate(makeFacts(noZone), iso('2026-12-01T18:00:00Z'))
    expect(r.map((x) => x.rule.split(' ')[0])).toEqual(['US', 'US-WA'])
    expect(r.every((x) => x.code === 'CALLING_HOURS' && x.message.startsWith('No time zone is known for US-WA'))).toBe(true)
    expect(rule.clearsAt!(makeFacts(noZone), iso('2026-12-01T18:00:00Z'))).toBeNull()
  })
})
