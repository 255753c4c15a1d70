import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { auditEntryProblems, canonicalEntryBytes, canonicalEntryJson, type AuditEntry } from './audit-entry.js'
import { bytesEqual } from './bytes.js'

const base: AuditEntry = {
  seq: 0,
  at: Date.UTC(2026, 11, 1, 20),
  actor: 'key_1',
  action: 'consent.grant',
  subject: 'ab01',
  data: { seller: 'acme', n: 1, ok: true, none: null },
}

/** Arbitrary valid entries (fast-check strings are well-formed unless asked otherwise). */
const auditEntryArb = fc.record({
  seq: fc.nat({ max: 1_000_000 }),
  at: fc.integer({ min: 0, max: 4_102_444_800_000 }),
  actor: fc.string({ minLength: 1, maxLength: 12, unit: 'binary' }),
  action: fc.string({ minLength: 1, maxLength: 12 }),
  subject: fc.option(fc.uint8Array({ minLength: 1, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex')), { nil: null }),
  data: fc.dictionary(
    fc.string({ maxLength: 6, unit: 'binary' }),
    fc.oneof(fc.string({ maxLength: 10, unit: 'binary' }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null)),
    { maxKeys: 5 },
  ),
})

describe('canonicalEntryJson', () => {
  it('is sorted-key JSON without whitespace, with a format version', () => {
    expect(canonicalEntryJson(base)).toBe(
      '{"action":"consent.grant","actor":"key_1","at":1796155200000,"data":{"n":1,"none":null,"ok":true,"seller":"acme"},"seq":0,"subject":"ab01","v":1}',
    )
  })

  it('escapes like JSON.stringify and sorts by UTF-16 code units', () => {
    const e = { ...base, subject: null, actor: 'a"b\\c\n\u0001é😀', data: { 'é': 1, Z: 2, a: 3, '😀': 4, '\uff5e': 5 } }
    expect(canonicalEntryJson(e)).toBe(
      '{"action":"consent.grant","actor":"a\\"b\\\\c\\n\\u0001é😀","at":1796155200000,"data":{"Z":2,"a":3,"é":1,"😀":4,"～":5},"seq":0,"subject":null,"v":1}',
    )
  })

  it('does not depend on key insertion order, and ignores extra properties', () => {
    const shuffled = { data: { ok: true, none: null, seller: 'acme', n: 1 }, subject: 'ab01', action: 'consent.grant', actor: 'key_1', at: base.at, seq: 0 }
    expect(canonicalEntryJson(shuffled)).toBe(canonicalEntryJson(base))
    expect(canonicalEntryJson({ ...base, leafHash: new Uint8Array(32) } as AuditEntry)).toBe(canonicalEntryJson(base))
  })

  it('round-trips through JSON.parse, so distinct entries give distinct bytes', () => {
    fc.assert(
      fc.property(auditEntryArb, auditEntryArb, (a, b) => {
        const parsed = JSON.parse(canonicalEntryJson(a)) as Record<string, unknown>
        const data = Object.fromEntries(Object.entries(a.data).map(([k, v]) => [k, Object.is(v, -0) ? 0 : v]))
        expect(parsed).toEqual({ ...a, data, v: 1 })
        const same = bytesEqual(canonicalEntryBytes(a), canonicalEntryBytes(b))
        expect(same).toBe(JSON.stringify(normal(a)) === JSON.stringify(normal(b)))
      }),
      { numRuns: 500 },
    )
  })

  it('encodes UTF-8', () => {
    const bytes = canonicalEntryBytes({ ...base, actor: 'é😀', data: {} })
    expect(Buffer.from(bytes).includes(Buffer.from([0x22, 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80, 0x22]))).toBe(true)
    expect(bytes.every((b) => b !== 0x5c)).toBe(true)
  })
})

/** Entry with sorted data keys and -0 as 0, for comparison. */
function normal(e: AuditEntry): unknown {
  return [e.seq, e.at, e.actor, e.action, e.subject, Object.entries(e.data).sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, v]) => [k, Object.is(v, -0) ? 0 : v])]
}

describe('auditEntryProblems', () => {
  it('accepts a valid entry', () => {
    expect(auditEntryProblems(base)).toEqual([])
  })

  it.each([
    ['negative seq', { seq: -1 }],
    ['fractional seq', { seq: 1.5 }],
    ['NaN at', { at: Number.NaN }],
    ['empty actor', { actor: '' }],
    ['empty action', { action: '' }],
    ['lone surrogate', { action: 'x\ud800' }],
    ['uppercase subject', { subject: 'AB01' }],
    ['odd-length subject', { subject: 'abc' }],
    ['plaintext-looking subject', { subject: '+13055550100' }],
    ['infinite data', { data: { n: Number.POSITIVE_INFINITY } }],
    ['nested data', { data: { o: { a: 1 } } }],
    ['array data', { data: [] }],
    ['null data', { data: null }],
  ])('rejects %s', (_, patch) => {
    const e = { ...base, ...patch } as unknown as AuditEntry
    expect(auditEntryProblems(e).length).toBeGreaterThan(0)
    expect(() => canonicalEntryBytes(e)).toThrow(TypeError)
  })
})
