import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeAad } from './aad-encoding.js'

describe('encodeAad', () => {
  it('prefixes every part with its 4-byte big-endian length', () => {
    expect(encodeAad(['ab', Uint8Array.of(7)]).toString('hex')).toBe('00000002616200000001' + '07')
  })

  it('never maps two different part lists to the same bytes', () => {
    const parts = fc.array(fc.string({ unit: 'binary' }), { maxLength: 5 })
    fc.assert(
      fc.property(parts, parts, (a, b) => {
        fc.pre(JSON.stringify(a) !== JSON.stringify(b))
        expect(encodeAad(a).equals(encodeAad(b))).toBe(false)
      }),
      { numRuns: 2000 },
    )
  })

  it('refuses lone surrogates, which UTF-8 would collapse to U+FFFD', () => {
    expect(() => encodeAad(['row\uD800'])).toThrow(TypeError)
    expect(() => encodeAad(['\uDC00'])).toThrow(TypeError)
    expect(() => encodeAad(['😀'])).not.toThrow()
  })
})
