import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PagedBitset } from './paged-bitset.js'
import { RegistryFileParser, type RegistryFormat } from './registry-file.js'
import { NANP_NPAS } from '../phone/nanp-table.generated.js'
import { normalizePhone, normalizeUkNational } from '../phone/normalize.js'

function parse(text: string, format: RegistryFormat = 'nanp', skipInvalid = false) {
  const set = new PagedBitset()
  const parser = new RegistryFileParser(set, { format, skipInvalid })
  const error = parser.feed(text) ?? parser.end()
  return { set, error, stats: parser.stats, parser }
}

function numbersOf(set: PagedBitset): number[] {
  const out: number[] = []
  for (const prefix of set.prefixes()) {
    const page = set.page(prefix)!
    for (let i = 0; i < 10_000; i++) if ((page[i >> 3]! & (1 << (i & 7))) !== 0) out.push(prefix * 10_000 + i)
  }
  return out
}

describe('RegistryFileParser, NANP', () => {
  it.each([
    ['305,2000002', 3052000002],
    ['3052000002', 3052000002],
    ['  305,2000002  ', 3052000002],
    ['\t3052000002\t', 3052000002],
    ['3052000002\r', 3052000002],
    ['989,9999999', 9899999999],
    ['201,2000000', 2012000000],
  ])('accepts %j', (line, n) => {
    const { set, error, stats } = parse(`${line}\n`)
    expect(error).toBeNull()
    expect(set.has(n)).toBe(true)
    expect(stats).toMatchObject({ lines: 1, numbers: 1, duplicates: 0, skipped: 0 })
  })

  it.each([
    ['13052000002', 'expected NPA,NXXXXXX or 10 digits'],
    ['305200000', 'expected NPA,NXXXXXX or 10 digits'],
    ['3052,000002', 'expected NPA,NXXXXXX or 10 digits'],
    ['305,200000', 'expected NPA,NXXXXXX or 10 digits'],
    ['305,20000022', 'expected NPA,NXXXXXX or 10 digits'],
    ['1052000002', 'area code (NPA) must start with 2-9'],
    ['0052000002', 'area code (NPA) must start with 2-9'],
    ['105,2000002', 'area code (NPA) must start with 2-9'],
    ['3051000002', 'exchange code (NXX) must start with 2-9'],
    ['305,0000002', 'exchange code (NXX) must start with 2-9'],
    ['305 2000002', 'whitespace inside the number before column 5; expected NPA,NXXXXXX or 10 digits'],
    ['305 ,2000002', 'whitespace inside the number before column 5; expected NPA,NXXXXXX or 10 digits'],
    ['305-200-0002', "unexpected character '-' at column 4; expected NPA,NXXXXXX or 10 digits"],
    ['(305)2000002', "unexpected character '(' at column 1; expected NPA,NXXXXXX or 10 digits"],
    ['+13052000002', "unexpected character '+' at column 1; expected NPA,NXXXXXX or 10 digits"],
    [',3052000002', "unexpected ',' at column 1; expected NPA,NXXXXXX or 10 digits"],
    ['305,2000002,', "unexpected ',' at column 12; expected NPA,NXXXXXX or 10 digits"],
    ['305,,2000002', "unexpected ',' at column 5; expected NPA,NXXXXXX or 10 digits"],
    ['3052000002x', 'unexpected letter at column 11; expected NPA,NXXXXXX or 10 digits'],
    ['３０５２０００００２', 'unexpected character U+FF13 at column 1; expected NPA,NXXXXXX or 10 digits'],
    ['3052000002\u00a0', 'unexpected character U+00A0 at column 11; expected NPA,NXXXXXX or 10 digits'],
    ['3052000002\r3052000003', 'whitespace inside the number before column 12; expected NPA,NXXXXXX or 10 digits'],
  ])('rejects %j: %s', (line, reason) => {
    const { error, stats } = parse(`3052000009\n${line}\n4165550000\n`)
    expect(error).toEqual({ line: 2, reason })
    expect(stats.numbers).toBe(1)
  })

  it('never echoes the line content in the reason', () => {
    const { error } = parse('3052000009\nsecret 3059999999 data\n')
    expect(error).not.toBeNull()
    expect(error!.reason).not.toContain('secret')
    expect(error!.reason).not.toContain('3059999999')
  })

  it('ignores blank lines and one header; counts physical lines across CRLF', () => {
    const text = '\r\n  \r\nareacode,number\r\n305,2000002\r\n\r\n\t\r\n3052000003\r\nbad\r\n'
    const { error, stats, set } = parse(text)
    expect(error).toEqual({ line: 8, reason: 'unexpected letter at column 1; expected NPA,NXXXXXX or 10 digits' })
    expect(stats).toEqual({ lines: 8, numbers: 2, duplicates: 0, skipped: 0, blank: 4, header: true })
    expect(set.size).toBe(2)
  })

  it.each(['phone', 'areacode,number', 'PHONE_NUMBER', 'number 1', '\ufeffphone'])('takes %j as a header when first', (header) => {
    const { error, stats } = parse(`${header}\n3052000002\n`)
    expect(error).toBeNull()
    expect(stats).toMatchObject({ lines: 2, numbers: 1, header: true })
  })

  it('accepts a header only once and only as the first non-blank line', () => {
    expect(parse('phone\nphone\n3052000002\n').error).toEqual({
      line: 2,
      reason: 'unexpected letter at column 1; expected NPA,NXXXXXX or 10 digits',
    })
    expect(parse('3052000002\nphone\n').error?.line).toBe(2)
    expect(parse('---\n3052000002\n').error?.line).toBe(1)
    expect(parse('\n\nphone\n3052000002').stats).toMatchObject({ header: true, lines: 4, numbers: 1, blank: 2 })
  })

  it('ignores a UTF-8 BOM at the start', () => {
    const { error, stats } = parse('\ufeff3052000002\n')
    expect(error).toBeNull()
    expect(stats.numbers).toBe(1)
  })

  it('parses a last line without a newline only at end()', () => {
    const set = new PagedBitset()
    const parser = new RegistryFileParser(set, { format: 'nanp' })
    expect(parser.feed('3052000002\n30520000')).toBeNull()
    expect(parser.feed('03')).toBeNull()
    expect(set.has(3052000003)).toBe(false)
    expect(parser.stats.lines).toBe(1)
    expect(parser.end()).toBeNull()
    expect(set.has(3052000003)).toBe(true)
    expect(parser.stats.lines).toBe(2)
    expect(parser.end()).toBeNull()
    expect(parser.stats.lines).toBe(2)
  })

  it('reports a malformed last line at end()', () => {
    const set = new PagedBitset()
    const parser = new RegistryFileParser(set, { format: 'nanp' })
    expect(parser.feed('3052000002\n305')).toBeNull()
    expect(parser.end()).toEqual({ line: 2, reason: 'expected NPA,NXXXXXX or 10 digits' })
  })

  it('counts duplicates', () => {
    const { stats, set } = parse('3052000002\n305,2000002\n3052000003\n3052000002\n')
    expect(stats).toMatchObject({ lines: 4, numbers: 4, duplicates: 2 })
    expect(set.size).toBe(2)
  })

  it('strict mode stops at the first malformed line and stays stopped', () => {
    const set = new PagedBitset()
    const parser = new RegistryFileParser(set, { format: 'nanp' })
    const error = parser.feed('3052000002\nx\n3052000003\n')
    expect(error).toEqual({ line: 2, reason: 'unexpected letter at column 1; expected NPA,NXXXXXX or 10 digits' })
    expect(parser.feed('3052000004\n')).toBe(error)
    expect(parser.feedLine('3052000005')).toBe(error)
    expect(parser.end()).toBe(error)
    expect(parser.error).toBe(error)
    expect(set.has(3052000003)).toBe(false)
    expect(set.has(3052000004)).toBe(false)
  })

  it('skipInvalid counts and skips malformed lines', () => {
    const { error, stats, set } = parse('phone\n3052000002\nx\n1052000002\n\n305,2000003\n305-2', 'nanp', true)
    expect(error).toBeNull()
    expect(stats).toEqual({ lines: 7, numbers: 2, duplicates: 0, skipped: 3, blank: 1, header: true })
    expect(numbersOf(set)).toEqual([3052000002, 3052000003])
  })

  it('feedLine takes lines without newlines', () => {
    const set = new PagedBitset()
    const parser = new RegistryFileParser(set, { format: 'nanp' })
    expect(parser.feedLine('areacode,number')).toBeNull()
    expect(parser.feedLine('305,2000002')).toBeNull()
    expect(parser.feedLine('')).toBeNull()
    expect(parser.feedLine('3052000003\r')).toBeNull()
    expect(parser.feedLine('oops')).toEqual({ line: 5, reason: 'unexpected letter at column 1; expected NPA,NXXXXXX or 10 digits' })
    expect(set.size).toBe(2)
  })

  it('gives the same result for every chunking', () => {
    const text = 'areacode,number\r\n305,2000002\r\n\r\n 3052000003 \r\n416,5550000\r\n305 1\r\n'
    const whole = parse(text, 'nanp', true)
    for (let cut = 0; cut <= text.length; cut++) {
      const set = new PagedBitset()
      const parser = new RegistryFileParser(set, { format: 'nanp', skipInvalid: true })
      parser.feed(text.slice(0, cut))
      parser.feed(text.slice(cut))
      parser.end()
      expect(parser.stats).toEqual(whole.stats)
      expect(numbersOf(set)).toEqual(numbersOf(whole.set))
    }
  })
})

describe('RegistryFileParser, whole-line fast path', () => {
  // Lines close to the fast path's forms (10 digits, a comma after 3, CRLF, a stray space or
  // digit): fed in one chunk they may take the fast path; fed a byte at a time they cannot.
  const nearLine = fc.oneof(
    fc.stringMatching(/^[0-9]{3},?[0-9]{6,8}\r?$/),
    fc.stringMatching(/^[2-9][0-9]{2}[ ,;-]?[2-9][0-9]{6}[ \r]?$/),
    fc.string({ unit: fc.constantFrom('0', '1', '2', '5', '9', ',', ' ', '\r'), minLength: 9, maxLength: 13 }),
  )

  it('accepts, refuses and counts exactly what the byte-by-byte path does', () => {
    fc.assert(
      fc.property(fc.array(nearLine, { minLength: 1, maxLength: 30 }), fc.boolean(), (lines, skipInvalid) => {
        const text = lines.map((l) => `${l}\n`).join('')
        const whole = parse(text, 'nanp', skipInvalid)
        const set = new PagedBitset()
        const parser = new RegistryFileParser(set, { format: 'nanp', skipInvalid })
        let error = null
        for (const ch of text) error ??= parser.feed(ch)
        error ??= parser.end()
        expect(whole.error).toEqual(error)
        expect(whole.stats).toEqual(parser.stats)
        expect(numbersOf(whole.set)).toEqual(numbersOf(set))
      }),
    )
  })
})

describe('RegistryFileParser validates NANP lines as --phone does', () => {
  it.each([
    ['3052110002', 'exchange code is an N11 service code'],
    ['305,9110002', 'exchange code is an N11 service code'],
    ['2112000002', 'area code is an N11 service code'],
    ['3702000002', 'area code is not assigned'],
    ['999,2000002', 'area code is not assigned'],
  ])('rejects %j: %s', (line, reason) => {
    expect(parse(`3052000009\n${line}\n`).error).toEqual({ line: 2, reason })
    expect(normalizePhone(line.replace(',', '')).ok).toBe(false)
  })

  it('skips and counts them with skipInvalid', () => {
    expect(parse('3052000009\n3052110002\n3702000002\n', 'nanp', true).stats).toMatchObject({ numbers: 1, skipped: 2 })
  })

  it('a line is accepted exactly when --phone accepts it as a NANP number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999_999_999 }), (n) => {
        const ten = String(n).padStart(10, '0')
        const { error, set } = parse(`${ten}\n`)
        const phone = normalizePhone(ten)
        // (a 10-digit string starting 00 is an international number to --phone, never a NANP line)
        const nanp = phone.ok && phone.phone.callingCode === '1'
        expect(error === null).toBe(nanp)
        if (nanp) expect(set.has(Number(phone.phone.national))).toBe(true)
      }),
    )
  })

  it('refuses numbers outside the allowed areas, naming the area code', () => {
    const allowed = new Uint8Array(1000)
    allowed[305] = 1
    const set = new PagedBitset()
    const parser = new RegistryFileParser(set, { format: 'nanp', allowedAreas: allowed })
    expect(parser.feed('3052000002\n7862000002\n')).toEqual({ line: 2, reason: 'area code 786 is not among the area codes named (--area-codes)' })
  })
})

describe('RegistryFileParser, UK', () => {
  it.each([
    ['01632960000', 1632960000],
    ['+441632960000', 1632960000],
    ['0163296000', 163296000],
    ['+44163296000', 163296000],
    ['  07700900123 \r', 7700900123],
    ['+447700900123', 7700900123],
    // CONTRACT: uk-tps takes UK national numbers as written, e.g. 020 7946 0018
    ['01632 960000', 1632960000],
    ['+44 1632960000', 1632960000],
    ['020 7946 0018', 2079460018],
  ])('accepts %j', (line, n) => {
    const { set, error } = parse(`${line}\n`, 'uk')
    expect(error).toBeNull()
    expect(set.has(n)).toBe(true)
  })

  it.each([
    ['00163296000', 'the digit after the leading 0 must not be 0'],
    ['+440163296000', 'the digit after +44 must not be 0'],
    ['016329600', 'expected 0 or +44 followed by 9 or 10 digits'],
    ['016329600000', 'expected 0 or +44 followed by 9 or 10 digits'],
    ['+4416329600', 'expected 0 or +44 followed by 9 or 10 digits'],
    ['+4416329600000', 'expected 0 or +44 followed by 9 or 10 digits'],
    ['+331632960000', 'expected +44 for a UK E.164 number; expected 0 or +44 followed by 9 or 10 digits'],
    ['+', 'expected +44 for a UK E.164 number; expected 0 or +44 followed by 9 or 10 digits'],
    ['441632960000', 'a UK national number starts with 0; expected 0 or +44 followed by 9 or 10 digits'],
    ['1632960000', 'a UK national number starts with 0; expected 0 or +44 followed by 9 or 10 digits'],
    ['0163,2960000', "unexpected ',' at column 5; expected 0 or +44 followed by 9 or 10 digits"],
    ['++441632960000', "unexpected character '+' at column 2; expected 0 or +44 followed by 9 or 10 digits"],
    ['0+1632960000', "unexpected character '+' at column 2; expected 0 or +44 followed by 9 or 10 digits"],
  ])('rejects %j: %s', (line, reason) => {
    const { error } = parse(`${line}\n`, 'uk')
    expect(error).toEqual({ line: 1, reason })
  })

  it('every accepted UK line is a number --phone accepts, with the same national number', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^(\+44|0|00)?[ 0-9]{0,14}$/), (line) => {
        const { error, set } = parse(`${line}\n`, 'uk')
        if (error !== null || line.trim() === '') return
        const phone = normalizeUkNational(line)
        expect(phone.ok).toBe(true)
        if (phone.ok) expect(set.has(Number(phone.phone.national))).toBe(true)
      }),
    )
  })

  it('does not accept NANP forms', () => {
    expect(parse('305,2000002\n', 'uk').error?.line).toBe(1)
    expect(parse('3052000002\n', 'uk').error?.line).toBe(1)
  })
})

describe('RegistryFileParser properties', () => {
  // valid numbers as --phone says: assigned area codes, exchanges 2-9 first and not N11
  const nanpNumber = fc
    .tuple(fc.constantFrom(...NANP_NPAS.map((r) => r[0])), fc.integer({ min: 200, max: 999 }).filter((nxx) => nxx % 100 !== 11), fc.integer({ min: 0, max: 9999 }))
    .map(([npa, nxx, line]) => npa * 10_000_000 + nxx * 10_000 + line)
  const ws = fc.constantFrom('', ' ', '\t', '  ')

  it('a random NANP set written in mixed forms round-trips', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(nanpNumber, fc.boolean(), ws, ws), { maxLength: 200 }),
        fc.boolean(),
        fc.constantFrom('\n', '\r\n'),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 10 }),
        fc.array(nanpNumber, { maxLength: 50 }),
        (rows, header, eol, cuts, probes) => {
          const lines = rows.map(([n, comma, pre, post]) => {
            const s = String(n)
            return pre + (comma ? `${s.slice(0, 3)},${s.slice(3)}` : s) + post
          })
          const text = (header ? `areacode,number${eol}` : '') + lines.map((l) => l + eol).join('')
          const set = new PagedBitset()
          const parser = new RegistryFileParser(set, { format: 'nanp' })
          let at = 0
          let k = 0
          while (at < text.length) {
            const size = cuts[k++ % cuts.length]!
            expect(parser.feed(text.slice(at, at + size))).toBeNull()
            at += size
          }
          expect(parser.end()).toBeNull()
          const expected = new Set(rows.map(([n]) => n))
          expect(numbersOf(set)).toEqual([...expected].sort((a, b) => a - b))
          expect(set.size).toBe(expected.size)
          for (const n of expected) expect(set.has(n)).toBe(true)
          for (const n of probes) expect(set.has(n)).toBe(expected.has(n))
          expect(parser.stats).toMatchObject({
            lines: rows.length + (header ? 1 : 0),
            numbers: rows.length,
            duplicates: rows.length - expected.size,
            header,
          })
        },
      ),
    )
  })

  it('a random UK set written as national or E.164 round-trips', () => {
    const ukNumber = fc.oneof(
      fc.integer({ min: 100_000_000, max: 999_999_999 }),
      fc.integer({ min: 1_000_000_000, max: 9_999_999_999 }),
    )
    fc.assert(
      fc.property(fc.array(fc.tuple(ukNumber, fc.boolean()), { maxLength: 100 }), (rows) => {
        const text = rows.map(([n, e164]) => (e164 ? `+44${n}` : `0${n}`)).join('\n')
        const { set, error, stats } = parse(text, 'uk')
        expect(error).toBeNull()
        const expected = new Set(rows.map(([n]) => n))
        expect(numbersOf(set)).toEqual([...expected].sort((a, b) => a - b))
        expect(stats.numbers).toBe(rows.length)
      }),
    )
  })

  it('never throws on garbage; strict errors name a real line', () => {
    const garbage = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({ unit: fc.constantFrom('0', '1', '2', '3', '9', ',', '+', ' ', '\r', '\n', '\t', 'a', '4'), maxLength: 300 }),
    )
    fc.assert(
      fc.property(garbage, fc.constantFrom<RegistryFormat>('nanp', 'uk'), fc.boolean(), fc.integer({ min: 1, max: 50 }), (text, format, skipInvalid, size) => {
        const set = new PagedBitset()
        const parser = new RegistryFileParser(set, { format, skipInvalid })
        let error = null
        for (let at = 0; at < text.length && error === null; at += size) error = parser.feed(text.slice(at, at + size))
        error ??= parser.end()
        const physical = text.length === 0 ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0)
        if (skipInvalid) {
          expect(error).toBeNull()
          const s = parser.stats
          expect(s.lines).toBe(physical)
          expect(s.numbers + s.skipped + s.blank + (s.header ? 1 : 0)).toBe(s.lines)
        } else if (error !== null) {
          expect(error.line).toBeGreaterThanOrEqual(1)
          expect(error.line).toBeLessThanOrEqual(physical)
          expect(error.reason.length).toBeLessThan(120)
        }
        expect(set.size).toBe(parser.stats.numbers - parser.stats.duplicates)
      }),
    )
  })
})
