import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { nanpDigitsToE164Fast } from './nanp.js'
import { NANP_NON_GEOGRAPHIC, NANP_NPAS } from './nanp-table.generated.js'
import { normalizePhone, normalizeUkNational } from './normalize.js'

const ASSIGNED_NPAS = [...NANP_NPAS.map((r) => r[0]), ...NANP_NON_GEOGRAPHIC]

/** A valid NANP number as its three digit groups. */
const validNanp = fc.record({
  npa: fc.constantFrom(...ASSIGNED_NPAS).map(String),
  nxx: fc
    .integer({ min: 200, max: 999 })
    .filter((n) => n % 100 !== 11)
    .map(String),
  line: fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
})

const INVISIBLES = [
  '\u00a0',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2060',
  '\ufeff',
  '\u200e',
  '\u200f',
  '\u202a',
  '\u202c',
  '\u2066',
  '\u2069',
  '\u202f',
]

const DIGIT_SCRIPTS: Record<string, number> = {
  ascii: 0x30,
  fullwidth: 0xff10,
  arabic: 0x0660,
  eastern: 0x06f0,
}

/** Every written form of a 10-digit number that must normalize to the same E.164. */
const writtenForm = (ten: fc.Arbitrary<{ npa: string; nxx: string; line: string }>) =>
  fc
    .record({
      groups: ten,
      prefix: fc.constantFrom('', '1', '+1', '+ 1', '001', '00 1', '011 1', '0111'),
      sep: fc.constantFrom('', ' ', '-', '.', '/', ' - ', '\u00a0', '  '),
      parens: fc.boolean(),
      script: fc.constantFrom(...Object.keys(DIGIT_SCRIPTS)),
      fullwidthPlus: fc.boolean(),
      invisibles: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...INVISIBLES)), { maxLength: 4 }),
    })
    .map(({ groups, prefix, sep, parens, script, fullwidthPlus, invisibles }) => {
      const npa = parens ? `(${groups.npa})` : groups.npa
      let s = [prefix, npa, groups.nxx, groups.line].filter((p) => p !== '').join(sep)
      const base = DIGIT_SCRIPTS[script] ?? 0x30
      s = s.replace(/[0-9]/g, (d) => String.fromCharCode(base + Number(d)))
      if (fullwidthPlus) s = s.replace('+', '\uff0b')
      for (const [at, ch] of invisibles) {
        const i = at % (s.length + 1)
        s = s.slice(0, i) + ch + s.slice(i)
      }
      return { input: s, ten: groups.npa + groups.nxx + groups.line, prefix }
    })

const e164Pattern = /^\+[1-9][0-9]{6,14}$/

describe('normalizePhone: concrete cases', () => {
  it.each([
    '+13052000002',
    '13052000002',
    '3052000002',
    '(305) 200-0002',
    '+1 (305) 200-0002',
    '1-305-200-0002',
    '305.200.0002',
    '001 305 200 0002',
    '011 1 305 200 0002',
    '\uff0b\uff11 \uff13\uff10\uff15 \uff12\uff10\uff10 \uff10\uff10\uff10\uff12',
    '\u0663\u0660\u0665\u0662\u0660\u0660\u0660\u0660\u0660\u0662',
    '\u06f3\u06f0\u06f5\u06f2\u06f0\u06f0\u06f0\u06f0\u06f0\u06f2',
    '305\u00a0200\u00a00002',
    '\u202a+1\u200b305\u200b200\u200b0002\u202c',
    '305\u2013200\u20130002',
  ])('%j is +13052000002 in US/FL', (input) => {
    const r = normalizePhone(input)
    expect(r).toEqual({
      ok: true,
      phone: {
        e164: '+13052000002',
        country: 'US',
        callingCode: '1',
        national: '3052000002',
        npa: 305,
        nxx: 200,
      },
    })
  })

  it('keeps 555 exchanges, Canadian, Caribbean and toll-free numbers', () => {
    expect(normalizePhone('212-555-0123')).toMatchObject({
      ok: true,
      phone: { e164: '+12125550123', country: 'US' },
    })
    expect(normalizePhone('416 555 0123')).toMatchObject({ ok: true, phone: { country: 'CA' } })
    expect(normalizePhone('876 555 0123')).toMatchObject({ ok: true, phone: { country: 'JM' } })
    expect(normalizePhone('1-800-555-0123')).toMatchObject({
      ok: true,
      phone: { e164: '+18005550123', country: null },
    })
    expect(normalizePhone('888 555 0123')).toMatchObject({ ok: true, phone: { country: null, npa: 888 } })
  })

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['abc', /letters/],
    ['1-800-FLOWERS', /letters/],
    ['305-200-0002 x12', /letters/],
    ['305#200#0002', /characters/],
    ['+', /no digits/],
    ['305200000', /too few/],
    ['305 200 00022', /11-digit/],
    ['3052000002123', /too many/],
    ['105 200 0002', /area code/],
    ['+1 005 200 0002', /area code/],
    ['911 200 0002', /N11/],
    ['372 200 0002', /not assigned/],
    ['969 200 0002', /not assigned/],
    ['555 200 0002', /not assigned/],
    ['305 100 0002', /exchange code/],
    ['305 055 0002', /exchange code/],
    ['305 911 0002', /N11/],
    ['305 211 0002', /N11/],
    ['01632960000', /leading 0/],
    ['+1305200000', /too few/],
    ['+0 305 200 0002', /country code/],
    ['+44 15', /possible/],
    ['1'.repeat(100), /too long/],
  ])('rejects %j', (input, reason) => {
    const r = normalizePhone(input)
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.reason).toMatch(reason)
      expect(r.reason).not.toMatch(/[0-9]{4}/)
    }
  })

  it('refuses numbers shorter than any in service (7 digits with the country code), and keeps the shortest real ones', () => {
    // libphonenumber calls +98 0000 "possible" by its length alone (a property-test counterexample)
    expect(normalizePhone('+980000').ok).toBe(false)
    expect(normalizePhone('+29022123')).toMatchObject({ ok: true, phone: { e164: '+29022123', country: 'SH' } })
    expect(normalizePhone('+6834002')).toMatchObject({ ok: true, phone: { e164: '+6834002', country: 'NU' } })
  })

  it('non-NANP numbers must be valid in their country, not merely of a possible length (CONTRACT "Non-NANP numbers")', () => {
    // a London number one digit short: possible by length, in no assigned range
    expect(normalizePhone('+44 20 7946 000')).toEqual({ ok: false, reason: 'not a valid number in its country (not in any assigned range)' })
    // Ofcom's drama ranges are reserved, never assigned
    expect(normalizePhone('+44 1632 960000').ok).toBe(false)
    expect(normalizePhone('+44 7700 900123').ok).toBe(false)
    expect(normalizePhone('+33 6 1234 567').ok).toBe(false)
    expect(normalizePhone('+44 20 7946 0018')).toMatchObject({ ok: true, phone: { e164: '+442079460018', country: 'GB' } })
    expect(normalizePhone('+44 113 496 0999')).toMatchObject({ ok: true, phone: { country: 'GB' } })
  })

  it('parses other countries through libphonenumber', () => {
    expect(normalizePhone('+44 20 7946 0000')).toEqual({
      ok: true,
      phone: {
        e164: '+442079460000',
        country: 'GB',
        callingCode: '44',
        national: '2079460000',
        npa: null,
        nxx: null,
      },
    })
    expect(normalizePhone('0044 113 496 0000')).toMatchObject({
      ok: true,
      phone: { e164: '+441134960000', country: 'GB' },
    })
    expect(normalizePhone('011 44 113 496 0000')).toMatchObject({ ok: true, phone: { e164: '+441134960000' } })
    expect(normalizePhone('+33 1 23 45 67 89')).toMatchObject({
      ok: true,
      phone: { e164: '+33123456789', country: 'FR' },
    })
    expect(normalizePhone('+800 1234 5678')).toMatchObject({
      ok: true,
      phone: { callingCode: '800', country: null },
    })
  })
})

describe('normalizeUkNational', () => {
  it.each([
    ['01632960000', '+441632960000'],
    ['01632 960000', '+441632960000'],
    ['020 7946 0000', '+442079460000'],
    ['07700 900123', '+447700900123'],
    ['+44 1632 960000', '+441632960000'],
    ['0044 1632 960000', '+441632960000'],
  ])('%j is %s', (input, e164) => {
    expect(normalizeUkNational(input)).toMatchObject({
      ok: true,
      phone: { e164, callingCode: '44', country: 'GB' },
    })
  })

  it.each(['', '1632960000', '0163', '016329600001234', '+13052000002', '+33123456789', 'O1632960000'])(
    'rejects %j',
    (input) => {
      expect(normalizeUkNational(input).ok).toBe(false)
    },
  )
})

describe('normalizePhone: properties', () => {
  it('maps every written form of a valid NANP number to the same E.164', () => {
    fc.assert(
      fc.property(writtenForm(validNanp), ({ input, ten }) => {
        const r = normalizePhone(input)
        expect(r.ok && r.phone.e164).toBe(`+1${ten}`)
      }),
      { numRuns: 2000 },
    )
  })

  it('is idempotent on its own output', () => {
    const anyInput = fc.oneof(
      writtenForm(validNanp).map((f) => f.input),
      fc.string({ unit: fc.constantFrom(...'0123456789+ ()-.'.split('')), maxLength: 20 }),
      fc.constantFrom('+442079460000', '+441134960000', '+33123456789', '+80012345678', '+61 2 9876 5432'),
    )
    fc.assert(
      fc.property(anyInput, (input) => {
        const r = normalizePhone(input)
        if (!r.ok) return
        expect(normalizePhone(r.phone.e164)).toEqual(r)
      }),
      { numRuns: 2000 },
    )
  })

  it('never throws on garbage and only ever yields + and digits', () => {
    const garbage = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({
        unit: fc.constantFrom(...'0123456789+()-. /x#\u00a0\u200b\uff10\u0660'.split('')),
        maxLength: 30,
      }),
      fc.string({ unit: 'grapheme', maxLength: 20 }),
    )
    fc.assert(
      fc.property(garbage, (input) => {
        const r = normalizePhone(input)
        if (r.ok) {
          expect(r.phone.e164).toMatch(e164Pattern)
          if (r.phone.callingCode === '1') expect(r.phone.e164).toMatch(/^\+1[2-9][0-9]{2}[2-9][0-9]{6}$/)
        } else {
          expect(r.reason.length).toBeGreaterThan(0)
        }
        expect(normalizeUkNational(input)).toBeDefined()
      }),
      { numRuns: 3000 },
    )
  })

  it('always rejects an NPA or NXX starting with 0 or 1', () => {
    const badTen = fc
      .record({
        npa: fc.integer({ min: 0, max: 999 }),
        nxx: fc.integer({ min: 0, max: 999 }),
        line: fc.integer({ min: 0, max: 9999 }),
      })
      .filter(({ npa, nxx }) => npa < 200 || nxx < 200)
      .map(({ npa, nxx, line }) => ({
        npa: String(npa).padStart(3, '0'),
        nxx: String(nxx).padStart(3, '0'),
        line: String(line).padStart(4, '0'),
      }))
    fc.assert(
      fc.property(writtenForm(badTen), ({ input, ten, prefix }) => {
        // A bare 10-digit string starting with 00 or 011 is an international prefix, not an NPA.
        fc.pre(!(prefix === '' && (ten.startsWith('00') || ten.startsWith('011'))))
        expect(normalizePhone(input).ok).toBe(false)
      }),
      { numRuns: 2000 },
    )
  })

  it('nanpDigitsToE164Fast agrees with normalizePhone', () => {
    const asciiForms = writtenForm(validNanp).filter(({ input }) => /^[\x20-\x7e]*$/.test(input))
    const inputs = fc.oneof(
      asciiForms.map((f) => f.input),
      fc.string({ unit: fc.constantFrom(...'0123456789+ ()-./'.split('')), maxLength: 20 }),
      fc.string({ maxLength: 16 }),
    )
    fc.assert(
      fc.property(inputs, (input) => {
        const fast = nanpDigitsToE164Fast(input)
        if (fast < 0) return
        const r = normalizePhone(input)
        expect(r.ok && r.phone.e164).toBe(`+1${fast}`)
      }),
      { numRuns: 3000 },
    )
  })

  it('nanpDigitsToE164Fast accepts the plain ASCII forms of valid numbers', () => {
    const plain = fc.record({
      groups: validNanp,
      prefix: fc.constantFrom('', '1', '+1', '+1 ', '1-'),
      sep: fc.constantFrom('', ' ', '-', '.'),
    })
    fc.assert(
      fc.property(plain, ({ groups: g, prefix, sep }) => {
        const input = `${prefix}${g.npa}${sep}${g.nxx}${sep}${g.line}`
        expect(nanpDigitsToE164Fast(input)).toBe(Number(g.npa + g.nxx + g.line))
      }),
    )
  })
})
