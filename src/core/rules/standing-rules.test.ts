import { describe, expect, it } from 'vitest'
import { DEFAULT_PACK } from './default-pack.js'
import { abandonmentPeriods, abandonmentRule, abandonmentStats } from './abandonment-rule.js'
import { compilePack } from './compiled-pack.js'
import { emergencyRule } from './emergency-rule.js'
import { nextAllowedAt } from '../gate/decide.js'
import { TEST_CAMPAIGN, call, makeFacts, place } from '../../../test/support/gate-facts.js'
import { timeRules } from './time-rules.js'

const cp = compilePack(DEFAULT_PACK)
const at = Date.parse('2026-01-14T16:00:00Z')
const la = [place('US', 'LA', 'America/Chicago')]

describe('emergency (LA declared state of emergency)', () => {
  it('blocks marketing calls to LA places while the operator flag US-LA is set; standing', () => {
    const facts = makeFacts(la, { flags: { emergencies: ['US-LA'] } })
    expect(emergencyRule(cp).evaluate(facts, at)).toEqual([{
      code: 'EMERGENCY',
      message: 'A state of emergency is declared for US-LA; US-LA-emergency bans these calls while it lasts',
      rule: 'US-LA-emergency declared-emergency ban (flag US-LA), La. PSC Order R-29617; La. R.S. 45:844.31',
    }])
    expect(emergencyRule(cp).clearsAt).toBeUndefined()
    expect(nextAllowedAt(facts, timeRules(DEFAULT_PACK), at)).toBeNull()
  })
  it('no flag, another state, or an informational call → no reason', () => {
    expect(emergencyRule(cp).evaluate(makeFacts(la), at)).toEqual([])
    expect(emergencyRule(cp).evaluate(makeFacts([place('US', 'TX', 'America/Chicago')], { flags: { emergencies: ['US-LA'] } }), at)).toEqual([])
    const info = makeFacts(la, { flags: { emergencies: ['US-LA'] }, campaign: { ...TEST_CAMPAIGN, purpose: 'informational' } })
    expect(emergencyRule(cp).evaluate(info, at)).toEqual([])
  })
})

describe('abandonment rate (US 3% of live-answered calls)', () => {
  const us = [place('US', 'NY', 'America/New_York')]
  it('4 of 100 blocks, 3 of 100 does not', () => {
    const r = abandonmentRule(cp).evaluate(makeFacts(us, { abandonment: { 720: { liveAnswered: 100, abandoned: 4 } } }), at)
    expect(r.map((x) => [x.code, x.rule])).toEqual([['ABANDON_RATE', 'US-abandonment abandonment cap 3% of live-answered calls per 30 days, 47 CFR 64.1200(a)(7); 16 CFR 310.4(b)(4)(i)']])
    expect(abandonmentRule(cp).evaluate(makeFacts(us, { abandonment: { 720: { liveAnswered: 100, abandoned: 3 } } }), at)).toEqual([])
  })
  it('manual campaigns and missing stats are not checked; inconsistent stats fail closed', () => {
    const manual = { ...TEST_CAMPAIGN, dialing: 'manual' as const }
    expect(abandonmentRule(cp).evaluate(makeFacts(us, { campaign: manual, abandonment: { 720: { liveAnswered: 10, abandoned: 5 } } }), at)).toEqual([])
    expect(abandonmentRule(cp).evaluate(makeFacts(us), at)).toEqual([])
    expect(abandonmentRule(cp).evaluate(makeFacts(us, { abandonment: { 720: { liveAnswered: 0, abandoned: 1 } } }), at)).toHaveLength(1)
  })
  it('Canada 5% over 30 days, UK 3% over 24 hours: each country reads its own period', () => {
    const stats = { 720: { liveAnswered: 100, abandoned: 4 }, 24: { liveAnswered: 100, abandoned: 2 } }
    const ca = [place('CA', 'ON', 'America/Toronto')]
    const gb = [place('GB', null, 'Europe/London')]
    expect(abandonmentRule(cp).evaluate(makeFacts(ca, { abandonment: stats }), at)).toEqual([])
    expect(abandonmentRule(cp).evaluate(makeFacts(ca, { abandonment: { 720: { liveAnswered: 100, abandoned: 6 }, 24: { liveAnswered: 100, abandoned: 0 } } }), at)).toHaveLength(1)
    // 4% over 30 days but 2% over the last 24 hours: the UK judges the day
    expect(abandonmentRule(cp).evaluate(makeFacts(gb, { abandonment: stats }), at)).toEqual([])
    const gbOver = abandonmentRule(cp).evaluate(makeFacts(gb, { abandonment: { 720: { liveAnswered: 100, abandoned: 0 }, 24: { liveAnswered: 100, abandoned: 4 } } }), at)
    expect(gbOver.map((x) => x.rule)).toEqual(['GB-abandonment abandonment cap 3% of live-answered calls per 24 h, Ofcom persistent-misuse policy (abandoned calls)'])
    expect(gbOver[0]!.message).toContain('in the last 24 h')
  })
  it('abandonmentPeriods lists each period of the pack once', () => {
    expect(abandonmentPeriods(DEFAULT_PACK)).toEqual([24, 720])
  })
  it('abandonmentStats counts abandoned calls as live-answered', () => {
    const calls = [call(at - 3, { outcome: 'answered' }), call(at - 2, { outcome: 'abandoned' }), call(at - 1, { outcome: 'voicemail' }), call(at, { campaignId: 'x', outcome: 'abandoned' })]
    expect(abandonmentStats(calls, 'c1', at - 100, at)).toEqual({ liveAnswered: 2, abandoned: 1 })
  })
})
