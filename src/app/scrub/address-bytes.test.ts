import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isValidRegionCode } from '../../core/phone/places.js'
import { stateCode, stateId, zipFieldOk } from './address-bytes.js'

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s)
const idOf = (s: string): number => {
  const b = bytes(s)
  return stateId(b, 0, b.length)
}
const zipOk = (s: string): boolean => {
  const b = bytes(s)
  return zipFieldOk(b, 0, b.length)
}

/** State fields as lead files hold them: codes in either case, padded, full names, noise. */
const letter = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'.split(''))
const stateField = fc.oneof(
  fc.tuple(letter, letter).map(([a, b]) => a + b),
  fc.constantFrom('FL', 'fl', ' TX', 'on ', 'Florida', 'F', 'F1', '@A', '[a', '`z', '{A', 'ÉT', 'ＦＬ', ''),
  fc.string({ maxLength: 4 }),
)
const digit = fc.constantFrom(...'0123456789'.split(''))
const zipField = fc.oneof(
  fc.array(digit, { minLength: 5, maxLength: 5 }).map((d) => d.join('')),
  fc.tuple(fc.array(digit, { minLength: 5, maxLength: 5 }), fc.array(digit, { minLength: 4, maxLength: 4 })).map(([a, b]) => `${a.join('')}-${b.join('')}`),
  fc.constantFrom(' 33101', '33101 ', '3310', '331011', '33101-123', '33101+1234', '٣٣١٠١', '３３１０１', ''),
  fc.string({ unit: fc.oneof(digit, fc.constantFrom('-', ' ', 'x')), maxLength: 11 }),
)

describe('the address columns read from bytes on the fast path', () => {
  it('a state id is given exactly for two ASCII letters, names them upper-cased, and agrees with the slow path on validity', () => {
    fc.assert(
      fc.property(stateField, (s) => {
        const id = idOf(s)
        if (s === '') return id === 0
        if (!/^[A-Za-z]{2}$/.test(s)) return id === -1
        return id >= 1 && id <= 676 && stateCode(id) === s.toUpperCase() && isValidRegionCode(stateCode(id)) === isValidRegionCode(s)
      }),
    )
  })

  it('every id from 1 to 676 is a distinct pair of letters', () => {
    const codes = new Set<string>()
    for (let id = 1; id <= 676; id++) {
      const code = stateCode(id)
      expect(idOf(code)).toBe(id)
      codes.add(code)
    }
    expect(codes.size).toBe(676)
    expect(stateCode(idOf('fl'))).toBe('FL')
  })

  it('a ZIP field is taken exactly when the slow path would take it untrimmed (empty, 5 digits, or ZIP+4)', () => {
    fc.assert(fc.property(zipField, (z) => zipOk(z) === (z === '' || /^\d{5}(-\d{4})?$/.test(z))))
  })

  it('reads the field between its offsets only', () => {
    const line = bytes('x,fl,33101-1234,y')
    expect(stateCode(stateId(line, 2, 4))).toBe('FL')
    expect(zipFieldOk(line, 5, 15)).toBe(true)
    expect(zipFieldOk(line, 5, 14)).toBe(false)
    expect(stateId(line, 1, 4)).toBe(-1)
  })
})
