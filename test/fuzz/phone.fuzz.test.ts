import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { normalizePhone, normalizeUkNational } from '../../src/core/phone/normalize.js'
import { requirePhone } from '../../src/app/input.js'
import { DialwardError } from '../../src/core/errors.js'
import { FUZZ_TIMEOUT, fuzzParams } from './fuzz-runs.js'

/** Text that looks like a number often enough to reach the deep branches: digits, punctuation, Unicode digits and spaces, letters. */
const phoneish = fc.string({
  unit: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...'0123456789') },
    { weight: 2, arbitrary: fc.constantFrom('+', ' ', '(', ')', '-', '.', '/', '\t', '\u00a0', '\u2013', '\u200b', '\ufeff', '０', '５', '٣', '۷', '＋', 'x', 'e', '#', ',', '\u0000') },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 1 }) },
  ),
  maxLength: 40,
})
const anyText = fc.oneof(phoneish, fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ maxLength: 200 }))

describe('fuzz: phone normalization', () => {
  it('normalizePhone never throws, and a normalized number re-normalizes to itself', () => {
    fc.assert(
      fc.property(anyText, (input) => {
        const r = normalizePhone(input)
        if (!r.ok) {
          expect(typeof r.reason).toBe('string')
          // the reason never carries the input's digits
          if (/\d{6,}/.test(input)) expect(r.reason).not.toContain(input)
          return
        }
        expect(r.phone.e164).toMatch(/^\+[1-9]\d{6,14}$/)
        expect(r.phone.e164).toBe(`+${r.phone.callingCode}${r.phone.national}`)
        const again = normalizePhone(r.phone.e164)
        expect(again.ok && again.phone).toEqual(r.phone)
      }),
      fuzzParams(),
    )
  }, FUZZ_TIMEOUT)

  it('normalizeUkNational never throws; a result is a +44 number that re-normalizes to itself', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, phoneish.map((s) => `0${s}`), phoneish.map((s) => `+44${s}`)), (input) => {
        const r = normalizeUkNational(input)
        if (!r.ok) return
        expect(r.phone.callingCode).toBe('44')
        const again = normalizeUkNational(r.phone.e164)
        expect(again.ok && again.phone.e164).toBe(r.phone.e164)
      }),
      fuzzParams(),
    )
  }, FUZZ_TIMEOUT)

  it('requirePhone throws only INVALID_INPUT naming the field, never echoing the input', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.anything()), (input) => {
        try {
          const p = requirePhone('phone', input)
          expect(typeof input).toBe('string')
          expect(p.e164.startsWith('+')).toBe(true)
        } catch (err) {
          expect(err).toBeInstanceOf(DialwardError)
          expect((err as DialwardError).code).toBe('INVALID_INPUT')
          expect((err as DialwardError).field).toBe('phone')
          if (typeof input === 'string' && /\d{7,}/.test(input)) expect((err as Error).message).not.toContain(input.trim())
        }
      }),
      fuzzParams(),
    )
  }, FUZZ_TIMEOUT)

  it('long inputs are refused quickly, whatever they hold', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('1', '2', ' ', '\u0301', '\ufdfa', 'ﷺ'), minLength: 65, maxLength: 5_000 }), (input) => {
        expect(normalizePhone(input).ok).toBe(false)
      }),
      fuzzParams(0.2),
    )
  }, FUZZ_TIMEOUT)
})
