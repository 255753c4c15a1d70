import { describe, expect, it } from 'vitest'
import { HOUR } from '../time/instant.js'
import { DEFAULT_PACK } from './default-pack.js'
import { compilePack } from './compiled-pack.js'
import { frequencyCapRule } from './frequency-cap-rule.js'
import { nextAllowedAt } from '../gate/decide.js'
import { TEST_CAMPAIGN, call, makeFacts, place } from '../../../test/support/gate-facts.js'
import { timeRules } from './time-rules.js'

const iso = (s: string): number => Date.parse(s)
const rule = frequencyCapRule(compilePack(DEFAULT_PACK))
const fl = [place('US', 'FL', 'America/New_York')]
const t0 = iso('2026-01-14T14:00:00Z') // 09:00 EST

describe('frequency cap (FL, OK, MD: 3 calls / 24 h per seller)', () => {
  it('3 calls then blocked; clears exactly 24 h after the oldest', () => {
    const calls = [call(t0), call(t0 + HOUR, { outcome: 'answered' }), call(t0 + 2 * HOUR, { campaignId: 'other' })]
    const facts = makeFacts(fl, { calls })
    expect(rule.evaluate(makeFacts(fl, { calls: calls.slice(0, 2) }), t0 + 3 * HOUR)).toEqual([])
    const r = rule.evaluate(facts, t0 + 3 * HOUR)
    expect(r).toEqual([{
      code: 'FREQUENCY_CAP',
      message: '3 calls from seller Acme to this number in the 24 h up to 2026-01-14T17:00:00Z; US-FL allows at most 3',
      rule: 'US-FL frequency cap 3 calls/24 h per seller, Fla. Stat. 501.616(6)',
    }])
    expect(rule.clearsAt!(facts, t0 + 3 * HOUR)).toBe(t0 + 24 * HOUR)
    expect(rule.evaluate(facts, t0 + 24 * HOUR)).toEqual([])
    expect(rule.evaluate(facts, t0 + 24 * HOUR - 1)).toHaveLength(1)
  })
  it('with 5 calls in the window it clears when the 3rd oldest leaves', () => {
    const calls = [0, 1, 2, 3, 4].map((h) => call(t0 + h * HOUR))
    expect(rule.clearsAt!(makeFacts(fl, { calls }), t0 + 5 * HOUR)).toBe(t0 + 2 * HOUR + 24 * HOUR)
  })
  it('counts only the same seller and the window (t − 24 h, t]', () => {
    const calls = [call(t0 - 24 * HOUR), call(t0, { sellerKey: 'other' }), call(t0 + HOUR), call(t0 + 2 * HOUR)]
    expect(rule.evaluate(makeFacts(fl, { calls }), t0 + 3 * HOUR)).toEqual([])
  })
  it('a call exactly 24 h after the first of three is allowed (the window is half-open)', () => {
    const calls = [0, 1, 2].map((h) => call(t0 + h * HOUR))
    expect(rule.evaluate(makeFacts(fl, { calls }), t0 + 24 * HOUR)).toEqual([])
    // and a call recorded at the decision instant counts: (t − 24 h, t]
    const atT = [call(t0 + HOUR), call(t0 + 2 * HOUR), call(t0 + 3 * HOUR)]
    expect(rule.evaluate(makeFacts(fl, { calls: atT }), t0 + 3 * HOUR)).toHaveLength(1)
  })
  it('counts and caps marketing calls only: informational calls neither count nor are capped', () => {
    const info = [0, 1, 2].map((h) => call(t0 + h * HOUR, { purpose: 'informational', campaignId: 'info' }))
    expect(rule.evaluate(makeFacts(fl, { calls: info }), t0 + 3 * HOUR)).toEqual([])
    const marketing = [0, 1, 2].map((h) => call(t0 + h * HOUR))
    const informational = { ...TEST_CAMPAIGN, id: 'info', purpose: 'informational' as const }
    const facts = makeFacts(fl, { calls: marketing, campaign: informational })
    expect(rule.evaluate(facts, t0 + 3 * HOUR)).toEqual([])
    expect(rule.clearsAt!(facts, t0 + 3 * HOUR)).toBe(t0 + 3 * HOUR)
  })
  it('does not apply outside FL/OK/MD', () => {
    const calls = [0, 1, 2].map((h) => call(t0 + h * HOUR))
    expect(rule.evaluate(makeFacts([place('US', 'GA', 'America/New_York')], { calls }), t0 + 3 * HOUR)).toEqual([])
    expect(rule.evaluate(makeFacts([place('US', 'MD', 'America/New_York')], { calls }), t0 + 3 * HOUR)).toHaveLength(1)
  })
  it('next allowed combines cap and window: cap clears 09:00, window open → 09:00 EST next day', () => {
    const calls = [0, 1, 2].map((h) => call(t0 + h * HOUR))
    const facts = makeFacts(fl, { calls })
    expect(nextAllowedAt(facts, timeRules(DEFAULT_PACK), t0 + 3 * HOUR)).toBe(t0 + 24 * HOUR)
    // cap clearing at 20:30 EST (outside the FL window) → next morning 08:00
    const late = [0, 1, 2].map((h) => call(iso('2026-01-15T01:30:00Z') + h * 60_000))
    expect(nextAllowedAt(makeFacts(fl, { calls: late }), timeRules(DEFAULT_PACK), iso('2026-01-15T12:00:00Z')))
      .toBe(iso('2026-01-16T13:00:00Z'))
  })
})
