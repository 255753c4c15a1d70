import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parsePhoneNumberFromString } from 'libphonenumber-js/max'
import { nanpFromBytes } from './nanp-bytes.js'
import { nanpDigitsToE164Fast } from '../../core/phone/nanp.js'
import { normalizePhone } from '../../core/phone/normalize.js'
import { NANP_NPAS } from '../../core/phone/nanp-table.generated.js'

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s)
const fast = (s: string): number => {
  const b = bytes(s)
  return nanpFromBytes(b, 0, b.length)
}

/** Phone fields as dialer lists write them: the 8 usual spellings of valid and invalid numbers, plus noise. */
const digit = fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9')
const npa = fc.oneof(fc.constantFrom(...NANP_NPAS.map((r) => String(r[0]))), fc.stringMatching(/^[0-9]{3}$/))
const spelled = fc.tuple(npa, fc.stringMatching(/^[0-9]{3}$/), fc.stringMatching(/^[0-9]{4}$/), fc.integer({ min: 0, max: 8 })).map(([a, b, c, form]) => {
  const d = `${a}${b}${c}`
  return [d, `(${a}) ${b}-${c}`, `${a}-${b}-${c}`, `${a}.${b}.${c}`, `+1 ${a} ${b} ${c}`, `1-${a}-${b}-${c}`, `+1${d}`, `1 (${a}) ${b} ${c}`, `\t${a}/${b}/${c} `][form]!
})
const noisy = fc.oneof(
  spelled,
  fc.string({ unit: fc.oneof(digit, fc.constantFrom(' ', '-', '(', ')', '.', '/', '+', '\t', 'x', '#', '１', '٣', '"')), maxLength: 24 }),
  fc.string({ maxLength: 30 }),
)

describe('the byte-level NANP normalizer of the fast path', () => {
  it('equals the string fast path on every input, and whenever it decides, normalizePhone (the library path) agrees', () => {
    fc.assert(
      fc.property(noisy, (s) => {
        const v = fast(s)
        // non-ASCII input never takes the byte path
        if (/[^\u0000-\u007f]/.test(s)) expect(v).toBe(-1)
        else expect(v).toBe(nanpDigitsToE164Fast(s))
        if (v >= 0) {
          const r = normalizePhone(s)
          expect(r.ok && r.phone.e164).toBe(`+1${v}`)
          // and libphonenumber-js reads the same E.164 number from the same spelling
          expect(parsePhoneNumberFromString(s, 'US')?.number).toBe(`+1${v}`)
        }
      }),
      { numRuns: 3000 },
    )
  })

  it('decides the usual spellings of a valid number without the library', () => {
    for (const s of ['3052000001', '(305) 200-0001', '305-200-0001', '305.200.0001', '+1 305 200 0001', '1-305-200-0001', '+13052000001', '1 (305) 200 0001']) expect(fast(s)).toBe(3052000001)
    for (const s of ['3051000001', '3052110001', '3702000001', '+44 20 7946 0018', '３０５２０００００１', '', '305200000', '"3052000001"']) expect(fast(s)).toBe(-1)
  })

  it('reads a field inside a larger buffer only within its bounds', () => {
    const b = bytes('x,3052000001,9')
    expect(nanpFromBytes(b, 2, 12)).toBe(3052000001)
    expect(nanpFromBytes(b, 2, 11)).toBe(-1)
  })
})
