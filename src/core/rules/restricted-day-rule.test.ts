import { describe, expect, it } from 'vitest'
import { DEFAULT_PACK } from './default-pack.js'
import { compilePack } from './compiled-pack.js'
import { nextAllowedAt } from '../gate/decide.js'
import { restrictedDayRule } from './restricted-day-rule.js'
import { makeFacts, place } from '../../../test/support/gate-facts.js'
import { timeRules } from './time-rules.js'

const iso = (s: string): number => Date.parse(s)
const rule = restrictedDayRule(compilePack(DEFAULT_PACK))
const rules = timeRules(DEFAULT_PACK)

describe('restricted days', () => {
  it('RI Sunday → RESTRICTED_DAY; clears after Monday (MLK Day, a RI public holiday) at Tuesday 00:00', () => {
    const facts = makeFacts([place('US', 'RI', 'America/New_York')])
    const at = iso('2026-01-18T16:00:00Z') // Sunday 11:00 EST
    expect(rule.evaluate(facts, at)).toEqual([{
      code: 'RESTRICTED_DAY',
      message: 'Sun 2026-01-18 in America/New_York is a restricted day under US-RI (Sunday)',
      rule: 'US-RI restricted days (no Sunday, no public holidays (date-holidays US-RI)), RIGL 5-61-2, 5-61-3.6',
    }])
    expect(rule.evaluate(facts, iso('2026-01-19T16:00:00Z'))[0]!.message).toContain('public holiday: Martin Luther King Jr. Day')
    expect(rule.clearsAt!(facts, at)).toBe(iso('2026-01-20T05:00:00Z'))
    // with the RI weekday window (09:00-18:00): Tuesday 09:00 EST
    expect(nextAllowedAt(facts, rules, at)).toBe(iso('2026-01-20T14:00:00Z'))
  })
  it('AL public holiday (2026-12-25, Christmas) → RESTRICTED_DAY; next allowed Saturday 08:00 CST', () => {
    const facts = makeFacts([place('US', 'AL', 'America/Chicago')])
    const at = iso('2026-12-25T16:00:00Z')
    const r = rule.evaluate(facts, at)
    expect(r.map((x) => x.code)).toEqual(['RESTRICTED_DAY'])
    expect(r[0]!.message).toContain('public holiday: Christmas Day')
    expect(rule.clearsAt!(facts, at)).toBe(iso('2026-12-26T06:00:00Z'))
    expect(nextAllowedAt(facts, rules, at)).toBe(iso('2026-12-26T14:00:00Z'))
  })
  it('holidays are local dates: 2026-12-25 00:30 EST is already Christmas, 2026-12-26 04:30 UTC (23:30 EST) still is', () => {
    const facts = makeFacts([place('US', 'AL', 'America/New_York')])
    expect(rule.evaluate(facts, iso('2026-12-25T05:30:00Z'))).toHaveLength(1)
    expect(rule.evaluate(facts, iso('2026-12-26T04:30:00Z'))).toHaveLength(1)
    expect(rule.evaluate(facts, iso('2026-12-26T05:00:00Z'))).toHaveLength(0)
  })
  it('observances are not holidays (Valentine\'s Day in AL), substitute days are', () => {
    const facts = makeFacts([place('US', 'AL', 'America/Chicago')])
    expect(rule.evaluate(facts, iso('2026-02-14T16:00:00Z'))).toEqual([])
    expect(rule.evaluate(facts, iso('2026-07-03T16:00:00Z'))).toHaveLength(1)
  })
  it('PA: no window, but Good Friday and Election Day are restricted', () => {
    const facts = makeFacts([place('US', 'PA', 'America/New_York')])
    expect(rule.evaluate(facts, iso('2026-04-03T16:00:00Z'))[0]!.message).toContain('Good Friday')
    expect(rule.evaluate(facts, iso('2026-11-03T16:00:00Z'))[0]!.message).toContain('Election Day')
    expect(rule.evaluate(facts, iso('2026-11-04T16:00:00Z'))).toEqual([])
  })
  it('LA and UT ban Sundays; MS bans Sundays in CST too', () => {
    for (const [region, zone] of [['LA', 'America/Chicago'], ['UT', 'America/Denver'], ['MS', 'America/Chicago']] as const) {
      expect(rule.evaluate(makeFacts([place('US', region, zone)]), iso('2026-01-18T18:00:00Z')).map((x) => x.code)).toEqual(['RESTRICTED_DAY'])
    }
    // Monday 2026-01-19 00:30 CDT? In summer: Sunday 2026-07-05 23:30 CDT = Monday 04:30 UTC → still Sunday 22:30 in CST
    const ms = makeFacts([place('US', 'MS', 'America/Chicago')])
    expect(rule.evaluate(ms, iso('2026-07-06T05:30:00Z'))[0]!.message).toContain('Etc/GMT+6')
    expect(rule.clearsAt!(ms, iso('2026-07-06T05:30:00Z'))).toBe(iso('2026-07-06T06:00:00Z'))
  })
  it('across zones the day must be allowed everywhere', () => {
    // AL place seen in Eastern and Central: Saturday 23:30 CST is Sunday 00:30 EST
    const facts = makeFacts([place('US', 'AL', 'America/New_York', 'America/Chicago')])
    const at = iso('2026-01-18T05:30:00Z')
    expect(rule.evaluate(facts, at)[0]!.message).toContain('America/New_York')
    // Monday 00:00 CST (06:00 UTC Jan 19) — but Jan 19 is MLK/Robert E. Lee day in AL → Tuesday 00:00 CST
    expect(rule.clearsAt!(facts, at)).toBe(iso('2026-01-20T06:00:00Z'))
  })
  it('informational calls are restricted too (conservative default)', () => {
    const facts = makeFacts([place('US', 'RI', 'America/New_York')], {
      campaign: { id: 'c2', seller: 'Acme', sellerKey: 'acme', purpose: 'informational', dialing: 'manual', channel: 'voice' },
    })
    expect(rule.evaluate(facts, iso('2026-01-18T16:00:00Z'))).toHaveLength(1)
  })
})
