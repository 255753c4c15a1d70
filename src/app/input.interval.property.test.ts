import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { isError } from '../core/errors.js'
import { optionalWholeNumber, requireInterval } from './input.js'

const UNIT = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const

const refused = (f: () => unknown, field: string): boolean => {
  try {
    f()
    return false
  } catch (err) {
    return isError(err, 'INVALID_INPUT') && err.field === field
  }
}

describe('requireInterval (retention schedule --every)', () => {
  it('reads every whole number of minutes, hours or days from 1 to 999999, spaces around allowed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_999 }), fc.constantFrom('m', 'h', 'd'), fc.constantFrom('', ' '), (n, u, pad) => {
        expect(requireInterval('every', `${pad}${n}${u}${pad}`)).toBe(n * UNIT[u])
      }),
    )
  })

  it('refuses anything else with INVALID_INPUT naming the field', () => {
    const valid = /^\s*\d{1,6}[mhd]\s*$/
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constantFrom('0m', '0d', '1', 'd', '1.5d', '-1d', '1w', '1D', '1000000d', '1 d', '')), (s) => {
        fc.pre(!valid.test(s) || /^\s*0+[mhd]\s*$/.test(s))
        expect(refused(() => requireInterval('every', s), 'every')).toBe(true)
      }),
    )
    expect(refused(() => requireInterval('every', 30), 'every')).toBe(true)
    expect(refused(() => requireInterval('every', undefined), 'every')).toBe(true)
  })

  it('30d is longer than one Node timer can hold (the schedule must wait in chunks)', () => {
    expect(requireInterval('every', '30d')).toBeGreaterThan(2 ** 31 - 1)
  })
})

describe('optionalWholeNumber (retention schedule --runs)', () => {
  it('reads whole numbers in range, refuses fractions, out-of-range values and non-numbers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (n) => {
        expect(optionalWholeNumber('runs', String(n), 1, 1_000_000)).toBe(n)
      }),
    )
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1_000, noNaN: true }).filter((x) => !Number.isInteger(x)), (x) => {
        expect(refused(() => optionalWholeNumber('runs', String(x), 1, 1_000), 'runs')).toBe(true)
      }),
    )
    for (const bad of ['0', '-1', 'x', '', ' ', '1e400']) expect(refused(() => optionalWholeNumber('runs', bad, 1, 1_000), 'runs'), bad).toBe(true)
    expect(optionalWholeNumber('runs', undefined, 1, 10)).toBeNull()
  })
})
