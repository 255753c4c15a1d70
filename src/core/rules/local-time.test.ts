import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { instantsAtLocal, localParts, nextLocalMinute, zoneOffsetMinutes } from './local-time.js'
import { dayFromCivil } from './civil-day.js'

const iso = (s: string): number => Date.parse(s)

describe('zoneOffsetMinutes', () => {
  it.each([
    ['America/New_York', '2026-01-15T12:00:00Z', -300],
    ['America/New_York', '2026-07-15T12:00:00Z', -240],
    ['America/Phoenix', '2026-07-15T12:00:00Z', -420],
    ['America/Denver', '2026-07-15T12:00:00Z', -360],
    ['Pacific/Honolulu', '2026-07-15T12:00:00Z', -600],
    ['America/Anchorage', '2026-01-15T12:00:00Z', -540],
    ['America/Anchorage', '2026-07-15T12:00:00Z', -480],
    ['America/St_Johns', '2026-01-15T12:00:00Z', -210],
    ['America/St_Johns', '2026-07-15T12:00:00Z', -150],
    ['Asia/Kathmandu', '2026-07-15T12:00:00Z', 345],
    ['Etc/GMT+6', '2026-07-15T12:00:00Z', -360],
  ])('%s at %s is %i', (zone, at, offset) => {
    expect(zoneOffsetMinutes(zone, iso(at))).toBe(offset)
  })

  it('is exact inside a transition hour (St. John\'s changes at 05:30 UTC)', () => {
    // 2026-03-08 02:00 NST (-3:30) = 05:30 UTC becomes 03:00 NDT (-2:30)
    expect(zoneOffsetMinutes('America/St_Johns', iso('2026-03-08T05:29:59.999Z'))).toBe(-210)
    expect(zoneOffsetMinutes('America/St_Johns', iso('2026-03-08T05:30:00Z'))).toBe(-150)
    expect(zoneOffsetMinutes('America/New_York', iso('2026-03-08T06:59:59.999Z'))).toBe(-300)
    expect(zoneOffsetMinutes('America/New_York', iso('2026-03-08T07:00:00Z'))).toBe(-240)
  })

  it('agrees with an uncached Intl reading for random instants and zones', () => {
    const zones = ['America/New_York', 'America/St_Johns', 'Australia/Lord_Howe', 'America/Santiago', 'Europe/London', 'Asia/Kolkata', 'America/Anchorage']
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: iso('2000-01-01T00:00:00Z'), max: iso('2040-01-01T00:00:00Z') }), (zone, t) => {
        const f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' })
        const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, x.value]))
        const wallMinute = Date.UTC(+p['year']!, +p['month']! - 1, +p['day']!, +p['hour']!, +p['minute']!) / 60_000
        expect(Math.floor(t / 60_000) + zoneOffsetMinutes(zone, t)).toBe(wallMinute)
      }),
      { numRuns: 3000 },
    )
  })
})

describe('zoneOffsetMinutes around every 2026 transition, minute by minute', () => {
  const zones = ['America/New_York', 'America/St_Johns', 'Australia/Lord_Howe', 'America/Santiago', 'Europe/London', 'America/Havana']
  it.each(zones)('%s matches a fresh Intl reading', (zone) => {
    const f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' })
    const oracle = (t: number): number => {
      const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, x.value]))
      return Date.UTC(+p['year']!, +p['month']! - 1, +p['day']!, +p['hour']!, +p['minute']!) / 60_000 - t / 60_000
    }
    let transitions = 0
    for (let d = Date.UTC(2026, 0, 1, 12); d < Date.UTC(2027, 0, 1, 12); d += 86_400_000) {
      if (oracle(d) === oracle(d + 86_400_000)) continue
      transitions++
      for (let t = d - 86_400_000; t < d + 2 * 86_400_000; t += 60_000) expect(zoneOffsetMinutes(zone, t)).toBe(oracle(t))
    }
    expect(transitions).toBe(2)
  })
})

describe('localParts', () => {
  it('reads date, weekday and minute of day', () => {
    expect(localParts('America/St_Johns', iso('2026-01-14T12:30:00Z'))).toEqual({
      year: 2026, month: 1, day: 14, weekday: 3, minuteOfDay: 9 * 60, dayNumber: dayFromCivil(2026, 1, 14),
    })
    expect(localParts('Pacific/Honolulu', iso('2026-01-01T05:00:00Z'))).toMatchObject({ year: 2025, month: 12, day: 31, minuteOfDay: 19 * 60 })
  })
})

describe('instantsAtLocal / nextLocalMinute across DST (New York)', () => {
  const mar8 = dayFromCivil(2026, 3, 8)
  const nov1 = dayFromCivil(2026, 11, 1)
  it('spring-forward gap: 02:30 does not exist, the first instant after the gap is 03:00 EDT', () => {
    expect(instantsAtLocal('America/New_York', mar8, 150)).toEqual([iso('2026-03-08T07:00:00Z')])
    expect(nextLocalMinute('America/New_York', iso('2026-03-08T05:00:00Z'), 150)).toBe(iso('2026-03-08T07:00:00Z'))
  })
  it('fall-back overlap: 01:30 happens twice, first occurrence first', () => {
    expect(instantsAtLocal('America/New_York', nov1, 90)).toEqual([iso('2026-11-01T05:30:00Z'), iso('2026-11-01T06:30:00Z')])
    expect(nextLocalMinute('America/New_York', iso('2026-11-01T04:00:00Z'), 90)).toBe(iso('2026-11-01T05:30:00Z'))
    expect(nextLocalMinute('America/New_York', iso('2026-11-01T05:31:00Z'), 90)).toBe(iso('2026-11-01T06:30:00Z'))
  })
  it('ordinary days: one instant', () => {
    expect(instantsAtLocal('America/St_Johns', dayFromCivil(2026, 1, 14), 540)).toEqual([iso('2026-01-14T12:30:00Z')])
  })
})
