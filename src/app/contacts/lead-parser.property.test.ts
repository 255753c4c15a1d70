import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { LeadParser } from './lead-parser.js'
import { DEFAULT_DATA_SCHEMA } from '../../core/contacts/data-schema.js'
import { fieldKey, fieldSpellings, PHONE_KEYS, VERIFIED_AT_KEYS } from '../../core/contacts/field-names.js'
import type { RawRecord } from '../files/record-rows.js'

const MARKETING = DEFAULT_DATA_SCHEMA.purposes['marketing']!
const NOW = Date.UTC(2026, 11, 1)
const KNOWN = new Set([...PHONE_KEYS, ...VERIFIED_AT_KEYS, ...MARKETING.fields.flatMap((f) => fieldSpellings(f.name))])

/** A column name that fills no kept field (and is not the number or the verification date). */
const extraColumn = fc.string({ minLength: 1, maxLength: 12 }).filter((n) => fieldKey(n) !== '' && !KNOWN.has(fieldKey(n)))
const record = (row: number, cols: ReadonlyArray<readonly [string, string]>): RawRecord => ({
  row,
  fields: Object.fromEntries(cols.map(([n, v]) => [fieldKey(n), v])),
  names: Object.fromEntries(cols.map(([n]) => [fieldKey(n), n])),
})

describe('LeadParser (property)', () => {
  it('never lets a value of a column the purpose does not keep into a lead or a quarantined row, and counts it by the column name', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(extraColumn, fc.string({ minLength: 1, maxLength: 20 })), { selector: ([n]) => fieldKey(n), maxLength: 6 }), fc.boolean(), fc.string({ maxLength: 30 }), (extras, validPhone, first) => {
        const parser = new LeadParser(MARKETING, NOW, NOW)
        const cols: Array<readonly [string, string]> = [['Phone', validPhone ? '+13052000001' : '12'], ['First Name', first], ...extras]
        const out = parser.parse(record(1, cols))
        expect(out.kind).toBe(validPhone ? 'lead' : 'quarantine')
        const keptKeys = Object.keys(out.values)
        for (const k of keptKeys) expect(MARKETING.fields.map((f) => f.name)).toContain(k)
        for (const [, v] of extras) if (v.trim() !== '' && !first.includes(v)) expect(Object.values(out.values)).not.toContain(v)
        for (const [n] of extras) expect(parser.dropped.get(n)).toBe(1)
        expect([...parser.dropped.values()].reduce((a, b) => a + b, 0)).toBe(extras.length)
      }),
    )
  })

  it('keeps a kept field under its schema name whatever the spelling of the column, trimmed, or refuses it as malformed', () => {
    const spellings = ['first_name', 'First Name', 'FIRSTNAME', 'first-name', 'fname', 'Given Name']
    fc.assert(
      fc.property(fc.constantFrom(...spellings), fc.string({ maxLength: 40 }), (column, value) => {
        const parser = new LeadParser(MARKETING, NOW, NOW)
        const out = parser.parse(record(1, [['phone', '3052000001'], [column, value]]))
        expect(out.kind).toBe('lead')
        const v = value.trim()
        // eslint-disable-next-line no-control-regex
        if (v === '' || /[\u0000-\u001f\u007f]/.test(v)) expect(out.values['first_name']).toBeUndefined()
        else expect(out.values['first_name']).toBe(v)
        expect(parser.dropped.size).toBe(0)
      }),
    )
  })

  // exchanges N11 are service codes, not numbers
  it('normalizes any spelling of a valid number to one E.164 and quarantines what is not a number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2_000_000, max: 9_999_999 }).filter((n) => Math.floor(n / 10_000) % 100 !== 11), fc.constantFrom((n: string) => `305${n}`, (n: string) => `(305) ${n.slice(0, 3)}-${n.slice(3)}`, (n: string) => `+1 305 ${n}`, (n: string) => `1-305-${n.slice(0, 3)}-${n.slice(3)}`), (n, spell) => {
        const out = new LeadParser(MARKETING, NOW, NOW).parse(record(1, [['phone', spell(String(n))]]))
        expect(out.kind === 'lead' && out.phone.e164).toBe(`+1305${n}`)
      }),
    )
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,6}$/), (digits) => {
        const out = new LeadParser(MARKETING, NOW, NOW).parse(record(1, [['phone', digits]]))
        expect(out.kind === 'quarantine' && out.code).toBe('INVALID_NUMBER')
      }),
    )
  })
})
