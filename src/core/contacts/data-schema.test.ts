import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { DEFAULT_DATA_SCHEMA, describeDataSchema, validateDataSchema } from './data-schema.js'

describe('validateDataSchema', () => {
  it('accepts a schema, giving fields their own or their purpose\'s period', () => {
    const r = validateDataSchema({ purposes: { 'order-updates': { fields: ['first_name', { name: 'email', keep: { days: 30 } }], keep: { years: 1 }, staleAfter: { days: 90 } } }, quarantine: { keep: { days: 7 } } })
    expect(r.ok).toBe(true)
    if (!r.ok) return
    const p = r.schema.purposes['order-updates']!
    expect(p.fields).toEqual([
      { name: 'first_name', keep: { months: 12 } },
      { name: 'email', keep: { days: 30 } },
    ])
    expect(p.staleAfterDays).toBe(90)
    expect(r.schema.quarantineKeep).toEqual({ days: 7 })
  })

  it('lists every problem, each naming its place', () => {
    const r = validateDataSchema({ purposes: { Bad: { fields: ['phone', 'First_Name', 'first_name', 'firstname', { name: 'x', keep: { weeks: 2 } }], staleAfter: { months: 6 }, extra: 1 } }, other: true })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.errors).toEqual([
      'schema: unknown key "other" (expected purposes, quarantine)',
      'purposes.Bad: a purpose name is lower-case letters, digits and "-", starting with a letter',
      'purposes.Bad: unknown key "extra" (expected description, fields, keep, staleAfter)',
      'purposes.Bad.staleAfter: give staleness in days ({"days": n})',
      'purposes.Bad.fields[0]: "phone" is not a kept field (the telephone number and the verification date are always recorded)',
      'purposes.Bad.fields[1]: a field name is lower-case letters, digits and "_", starting with a letter',
      'purposes.Bad.fields[3]: "firstname" is the same field as "first_name" (names are compared ignoring case and punctuation)',
      'purposes.Bad.fields[4].keep: unknown unit "weeks" (expected years, months or days)',
    ])
  })

  it('the defaults keep only what a dialer needs', () => {
    expect(describeDataSchema(DEFAULT_DATA_SCHEMA).purposes.map((p) => [p.purpose, (p.fields as Array<{ name: string }>).map((f) => f.name), p.staleAfterDays])).toEqual([
      ['marketing', ['first_name', 'last_name', 'state', 'zip', 'timezone', 'external_id', 'consent_ref'], 180],
      ['informational', ['first_name', 'last_name', 'state', 'zip', 'timezone', 'external_id', 'consent_ref'], 365],
    ])
  })

  it('never throws on any JSON value, and what it accepts describes itself back to an equal schema (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (doc) => {
        const r = validateDataSchema(doc)
        if (r.ok) expect(r.schema.purposes).toBeDefined()
        else expect(r.errors.length).toBeGreaterThan(0)
      }),
    )
    const field = fc.oneof(fc.constantFrom('first_name', 'zip', 'email', 'notes_ok'), fc.record({ name: fc.constantFrom('crm_score', 'email2'), keep: fc.record({ days: fc.integer({ min: 0, max: 1200 }) }) }))
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), fc.record({ fields: fc.uniqueArray(field, { selector: (f) => (typeof f === 'string' ? f : f.name), maxLength: 5 }), staleAfter: fc.option(fc.record({ days: fc.integer({ min: 1, max: 999 }) })) }), { minKeys: 1, maxKeys: 4 }), (purposes) => {
        const r = validateDataSchema({ purposes })
        expect(r.ok).toBe(true)
        if (!r.ok) return
        expect(Object.keys(r.schema.purposes).sort()).toEqual(Object.keys(purposes).sort())
        for (const [name, p] of Object.entries(purposes)) expect(r.schema.purposes[name]!.fields.map((f) => f.name)).toEqual(p.fields.map((f) => (typeof f === 'string' ? f : f.name)))
      }),
    )
  })
})
