import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { EARLIEST_INSTANT, LATEST_INSTANT, maybeInstant, requireDate, requireInstant } from '../../src/app/input.js'
import { DialwardError } from '../../src/core/errors.js'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { installation, rowCounts, type Installation } from '../support/cli.js'
import { FUZZ_TIMEOUT, fuzzParams } from './fuzz-runs.js'

const DAY = 86_400_000
const iso = (t: number): string => new Date(t).toISOString()
const ymd = (t: number): string => iso(t).slice(0, 10)

describe('fuzz: dates outside 1970-01-01..2200-12-31 are bad input everywhere', () => {
  it('the bounds are exactly 1970-01-01T00:00:00Z and 2200-12-31T23:59:59.999Z', () => {
    expect(iso(EARLIEST_INSTANT)).toBe('1970-01-01T00:00:00.000Z')
    expect(iso(LATEST_INSTANT)).toBe('2200-12-31T23:59:59.999Z')
    expect(requireDate('at', '1970-01-01')).toBe(EARLIEST_INSTANT)
    expect(requireDate('at', '2200-12-31')).toBe(Date.UTC(2200, 11, 31))
    expect(() => requireDate('at', '1969-12-31')).toThrow(/between 1970-01-01 and 2200-12-31/)
    expect(() => requireDate('at', '2201-01-01')).toThrow(/between 1970-01-01 and 2200-12-31/)
    expect(requireInstant('asOf', '2200-12-31T23:59:59.999Z')).toBe(LATEST_INSTANT)
    expect(() => requireInstant('asOf', '2201-01-01T00:00:00Z')).toThrow(DialwardError)
    expect(() => requireInstant('asOf', '1969-12-31T23:59:59.999Z')).toThrow(DialwardError)
    // an offset can move an instant across the bound
    expect(() => requireInstant('asOf', '1970-01-01T00:30:00+01:00')).toThrow(DialwardError)
    expect(requireInstant('asOf', '2200-12-31T23:30:00-00:29')).toBe(Date.UTC(2200, 11, 31, 23, 59))
  })

  it('any instant is accepted exactly when it lies within the bounds (instants, dates, every validator)', () => {
    const around = fc.oneof(
      fc.integer({ min: EARLIEST_INSTANT - 3 * DAY, max: EARLIEST_INSTANT + 3 * DAY }),
      fc.integer({ min: LATEST_INSTANT - 3 * DAY, max: LATEST_INSTANT + 3 * DAY }),
      fc.integer({ min: Date.UTC(-200_000, 0, 1), max: Date.UTC(200_000, 0, 1) }),
    )
    fc.assert(
      fc.property(around, (t) => {
        const inside = t >= EARLIEST_INSTANT && t <= LATEST_INSTANT
        const text = iso(t)
        if (/^[+-]/.test(text)) {
          // years beyond 9999 are not ISO-8601 as Dialward reads it: refused all the same
          expect(() => requireInstant('asOf', text)).toThrow(DialwardError)
          return
        }
        for (const f of [() => requireInstant('asOf', text), () => maybeInstant('at', text), () => requireDate('at', text)]) {
          if (inside) expect(f()).toBe(t)
          else {
            try {
              f()
              expect.unreachable(`${text} accepted`)
            } catch (err) {
              expect((err as DialwardError).code).toBe('INVALID_INPUT')
            }
          }
        }
        const day = ymd(t)
        const dayStart = Date.parse(`${day}T00:00:00Z`)
        if (dayStart >= EARLIEST_INSTANT && dayStart <= LATEST_INSTANT) expect(requireDate('at', day)).toBe(dayStart)
        else expect(() => requireDate('at', day)).toThrow(DialwardError)
      }),
      fuzzParams(),
    )
  }, FUZZ_TIMEOUT)

  it('any text is an instant in range or INVALID_INPUT naming the field', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.stringMatching(/^\d{4,6}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/)), (text) => {
        for (const f of [() => requireInstant('asOf', text), () => requireDate('at', text)]) {
          try {
            const t = f()
            expect(t).toBeGreaterThanOrEqual(EARLIEST_INSTANT)
            expect(t).toBeLessThanOrEqual(LATEST_INSTANT)
          } catch (err) {
            expect(err).toBeInstanceOf(DialwardError)
            expect((err as DialwardError).code).toBe('INVALID_INPUT')
            expect(['asOf', 'at']).toContain((err as DialwardError).field)
          }
        }
      }),
      fuzzParams(),
    )
  }, FUZZ_TIMEOUT)
})

describe('absurd dates through the command line (one line, exit 2, nothing stored)', () => {
  let dw: Installation
  let list: string
  beforeAll(async () => {
    dw = await installation('sqlite')
    await dw.ok('init')
    await dw.ok('campaign', 'add', '--id', 'c', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'manual')
    list = join(dw.dataDir, '..', 'list.txt')
    writeFileSync(list, '305,2000002\n')
  }, 120_000)
  afterAll(async () => dw?.dispose())

  it.each([
    ['dnc', 'add', '--phone', '3052000002', '--at', '9999-12-31'],
    ['dnc', 'add', '--phone', '3052000002', '--at', '1969-12-31'],
    ['check', '--phone', '3052000002', '--campaign', 'c', '--at', '2201-01-01'],
    ['registry', 'import', '--registry', 'us-national', '--file', 'LIST', '--as-of', '9999-12-31'],
    ['consent', 'revoke', '--phone', '3052000002', '--at', '0001-01-01'],
  ])('%s %s … is refused', async (...args) => {
    const before = await rowCounts(dw)
    const r = await dw.run(...args.map((a) => (a === 'LIST' ? list : a)))
    expect(r.code, r.stderr).toBe(2)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/^dialward: --(at|as-of): (must be between 1970-01-01 and 2200-12-31|is not a valid)/)
    expect(await rowCounts(dw)).toEqual(before)
  })
})
