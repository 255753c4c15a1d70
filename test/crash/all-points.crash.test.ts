import { describe, expect, it } from 'vitest'
import { CRASH_POINTS } from '../../src/app/crash-points.js'
import { crashAndCheck, SCENARIOS, spec } from './scenarios.js'

describe('crash points: every operation killed at every point', () => {
  it('every point in the catalogue is exercised by some scenario', () => {
    const used = new Set(SCENARIOS.flatMap((s) => s.arms.map((a) => a.point)))
    expect(Object.keys(CRASH_POINTS).filter((p) => !used.has(p as keyof typeof CRASH_POINTS))).toEqual([])
  })
  for (const s of SCENARIOS) {
    describe(s.name, () => {
      for (const arm of s.arms) it(`kill -9 at ${spec(arm)}`, () => crashAndCheck(s, arm), 300_000)
    })
  }
})
