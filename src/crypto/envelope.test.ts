import { createDecipheriv, randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DecryptError } from './decrypt-error.js'
import {
  ALG_AES_256_GCM,
  FIELD_FORMAT_VERSION,
  decryptField,
  encryptField,
  fieldKeyId,
  newDataKey,
  type FieldAad,
} from './envelope.js'

const AAD: FieldAad = { table: 'subjects', rowId: 'sub_1', column: 'phone_ct' }
const DEK_ID = 'dk_0b8e2c'

function decryptError(fn: () => unknown): DecryptError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(DecryptError)
    return err as DecryptError
  }
  throw new Error('expected a DecryptError')
}

/** Byte ranges of a blob's parts (see the layout in envelope.ts). */
function regions(blob: Buffer): Record<'header' | 'keyId' | 'iv' | 'tag' | 'ct', [number, number]> {
  const l = blob[2] as number
  return {
    header: [0, 3],
    keyId: [3, 3 + l],
    iv: [3 + l, 15 + l],
    tag: [15 + l, 31 + l],
    ct: [31 + l, blob.length],
  }
}

function flip(blob: Buffer, byte: number, bit: number): Buffer {
  const out = Buffer.from(blob)
  out[byte] = (out[byte] as number) ^ (1 << bit)
  return out
}

const asciiText = fc.string({ minLength: 1, maxLength: 24 })
const fieldAad = fc.record({ table: asciiText, rowId: asciiText, column: asciiText })
const dekId = fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/)

describe('encryptField / decryptField', () => {
  it('lays out version, algorithm, key id, IV, tag and ciphertext', () => {
    const blob = encryptField(newDataKey(), DEK_ID, AAD, 'hello')
    expect(blob[0]).toBe(FIELD_FORMAT_VERSION)
    expect(blob[1]).toBe(ALG_AES_256_GCM)
    expect(blob[2]).toBe(DEK_ID.length)
    expect(blob.subarray(3, 3 + DEK_ID.length).toString('utf8')).toBe(DEK_ID)
    expect(blob).toHaveLength(3 + DEK_ID.length + 12 + 16 + 5)
    expect(fieldKeyId(blob)).toBe(DEK_ID)
  })

  it('round-trips arbitrary strings (full Unicode), bytes and AAD', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.record({ table: fc.string({ unit: 'binary' }), rowId: fc.string({ unit: 'binary' }), column: fc.string({ unit: 'binary' }) }),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
        (text, aad, id) => {
          const dek = newDataKey()
          expect(decryptField(dek, id, aad, encryptField(dek, id, aad, text)).toString('utf8')).toBe(text)
        },
      ),
      { numRuns: 1000 },
    )
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 500 }), (bytes) => {
        const dek = newDataKey()
        const out = decryptField(dek, DEK_ID, AAD, encryptField(dek, DEK_ID, AAD, Buffer.from(bytes)))
        expect(out.equals(Buffer.from(bytes))).toBe(true)
      }),
      { numRuns: 500 },
    )
    const dek = newDataKey()
    expect(decryptField(dek, DEK_ID, AAD, encryptField(dek, DEK_ID, AAD, '')).length).toBe(0)
    expect(decryptField(dek, DEK_ID, AAD, encryptField(dek, DEK_ID, AAD, '☎️ +1 (305) 200-0002 ✓')).toString()).toBe(
      '☎️ +1 (305) 200-0002 ✓',
    )
  })

  it('accepts a blob given as a Uint8Array view at an offset', () => {
    const dek = newDataKey()
    const blob = encryptField(dek, DEK_ID, AAD, 'x')
    const backing = new Uint8Array(blob.length + 7)
    backing.set(blob, 7)
    expect(decryptField(dek, DEK_ID, AAD, backing.subarray(7)).toString()).toBe('x')
  })

  for (const region of ['header', 'keyId', 'iv', 'tag', 'ct'] as const) {
    it(`rejects any 1-bit flip in the ${region} (1,000 runs)`, () => {
      fc.assert(
        fc.property(
          fc.string({ unit: 'binary', minLength: 1, maxLength: 64 }),
          dekId,
          fieldAad,
          fc.nat(),
          fc.integer({ min: 0, max: 7 }),
          (text, id, aad, pick, bit) => {
            const dek = newDataKey()
            const blob = encryptField(dek, id, aad, text)
            const [from, to] = regions(blob)[region]
            const bad = flip(blob, from + (pick % (to - from)), bit)
            const e = decryptError(() => decryptField(dek, id, aad, bad))
            expect(['auth-failed', 'key-mismatch', 'unsupported', 'malformed']).toContain(e.reason)
          },
        ),
        { numRuns: 1000 },
      )
    })
  }

  it('rejects every 1-bit flip anywhere in one blob (exhaustive)', () => {
    const dek = newDataKey()
    const blob = encryptField(dek, DEK_ID, AAD, 'subject phone +13052000002')
    for (let byte = 0; byte < blob.length; byte++) {
      for (let bit = 0; bit < 8; bit++) decryptError(() => decryptField(dek, DEK_ID, AAD, flip(blob, byte, bit)))
    }
  })

  it('rejects any 1-bit flip in any AAD component or the key id (1,000 runs)', () => {
    const fields = ['table', 'rowId', 'column', 'dekId'] as const
    fc.assert(
      fc.property(
        dekId,
        fieldAad,
        fc.constantFrom(...fields),
        fc.nat(),
        fc.integer({ min: 0, max: 6 }),
        (id, aad, field, pick, bit) => {
          const dek = newDataKey()
          const blob = encryptField(dek, id, aad, 'secret')
          const values = { ...aad, dekId: id }
          const s = values[field]
          const i = pick % s.length
          values[field] = s.slice(0, i) + String.fromCharCode(s.charCodeAt(i) ^ (1 << bit)) + s.slice(i + 1)
          const { dekId: badId, ...badAad } = values
          const e = decryptError(() => decryptField(dek, badId, badAad, blob))
          expect(e.reason).toBe(field === 'dekId' ? 'key-mismatch' : 'auth-failed')
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('rejects a ciphertext swapped to another row, column or table', () => {
    fc.assert(
      fc.property(asciiText, asciiText, (rowA, rowB) => {
        fc.pre(rowA !== rowB)
        const dek = newDataKey()
        const blob = encryptField(dek, DEK_ID, { ...AAD, rowId: rowA }, '+13052000002')
        expect(decryptError(() => decryptField(dek, DEK_ID, { ...AAD, rowId: rowB }, blob)).reason).toBe('auth-failed')
      }),
      { numRuns: 1000 },
    )
    const dek = newDataKey()
    const blob = encryptField(dek, DEK_ID, AAD, 'x')
    decryptError(() => decryptField(dek, DEK_ID, { ...AAD, column: 'name_ct' }, blob))
    decryptError(() => decryptField(dek, DEK_ID, { ...AAD, table: 'consents' }, blob))
    // Length-prefixed AAD: moving characters between components does not collide.
    const b2 = encryptField(dek, DEK_ID, { table: 'ab', rowId: 'c', column: 'd' }, 'x')
    decryptError(() => decryptField(dek, DEK_ID, { table: 'a', rowId: 'bc', column: 'd' }, b2))
  })

  it('rejects the wrong data key, and a right key under another id', () => {
    const dek = newDataKey()
    const blob = encryptField(dek, DEK_ID, AAD, 'x')
    expect(decryptError(() => decryptField(newDataKey(), DEK_ID, AAD, blob)).reason).toBe('auth-failed')
    expect(decryptError(() => decryptField(dek, 'dk_other', AAD, blob)).reason).toBe('key-mismatch')
    expect(decryptError(() => decryptField(dek.subarray(0, 16), DEK_ID, AAD, blob)).reason).toBe('bad-key')
  })

  it.each([12, 8, 4, 0])('rejects a blob whose tag was cut to %i bytes', (tagLength) => {
    const dek = newDataKey()
    for (const text of ['', 'x', 'a longer plaintext of several blocks, 48 bytes..']) {
      const blob = encryptField(dek, DEK_ID, AAD, text)
      const r = regions(blob)
      const short = Buffer.concat([blob.subarray(0, r.tag[0]), blob.subarray(r.tag[0], r.tag[0] + tagLength), blob.subarray(r.ct[0])])
      decryptError(() => decryptField(dek, DEK_ID, AAD, short))
    }
  })

  it('relies on authTagLength: 16 making node:crypto refuse short tags (DEP0182 guard)', () => {
    for (const n of [4, 8, 12]) {
      const d = createDecipheriv('aes-256-gcm', randomBytes(32), randomBytes(12), { authTagLength: 16 })
      expect(() => d.setAuthTag(randomBytes(n))).toThrow()
    }
  })

  it('rejects unknown versions and algorithms', () => {
    const dek = newDataKey()
    const blob = encryptField(dek, DEK_ID, AAD, 'x')
    for (const v of [0, 2, 255]) {
      const bad = Buffer.from(blob)
      bad[0] = v
      expect(decryptError(() => decryptField(dek, DEK_ID, AAD, bad)).reason).toBe('unsupported')
    }
    for (const a of [0, 2, 255]) {
      const bad = Buffer.from(blob)
      bad[1] = a
      expect(decryptError(() => decryptField(dek, DEK_ID, AAD, bad)).reason).toBe('unsupported')
    }
  })

  it('rejects every truncation of a blob', () => {
    const dek = newDataKey()
    for (const text of ['', 'hello, world']) {
      const blob = encryptField(dek, DEK_ID, AAD, text)
      for (let n = 0; n < blob.length; n++) decryptError(() => decryptField(dek, DEK_ID, AAD, blob.subarray(0, n)))
      decryptError(() => decryptField(dek, DEK_ID, AAD, Buffer.concat([blob, Buffer.of(0)])))
    }
    expect(decryptError(() => decryptField(dek, DEK_ID, AAD, Buffer.of(1, 1, 0))).reason).toBe('malformed')
  })

  it('never puts plaintext, keys or AAD in error messages', () => {
    const dek = newDataKey()
    const blob = encryptField(dek, DEK_ID, { ...AAD, rowId: 'ROW-CANARY' }, 'PLAINTEXT-CANARY')
    const errors = [
      decryptError(() => decryptField(dek, DEK_ID, AAD, blob)),
      decryptError(() => decryptField(newDataKey(), DEK_ID, { ...AAD, rowId: 'ROW-CANARY' }, blob)),
      decryptError(() => decryptField(dek, 'dk_x', AAD, blob)),
      decryptError(() => decryptField(dek, DEK_ID, AAD, blob.subarray(0, 10))),
    ]
    for (const e of errors) {
      for (const s of ['CANARY', dek.toString('hex'), dek.toString('base64'), blob.toString('hex')]) {
        expect(e.message).not.toContain(s)
      }
    }
  })

  it('refuses bad keys and key ids when encrypting', () => {
    expect(() => encryptField(Buffer.alloc(16), DEK_ID, AAD, 'x')).toThrow(RangeError)
    expect(() => encryptField(newDataKey(), '', AAD, 'x')).toThrow(RangeError)
    expect(() => encryptField(newDataKey(), 'k'.repeat(256), AAD, 'x')).toThrow(RangeError)
    expect(() => encryptField(newDataKey(), DEK_ID, { ...AAD, rowId: '\uD800' }, 'x')).toThrow(TypeError)
    expect(() => encryptField(newDataKey(), DEK_ID, AAD, 'a\uDC00b')).toThrow(TypeError)
  })

  it('never repeats an IV in 100,000 encryptions under one key', () => {
    const dek = newDataKey()
    const ivs = new Set<string>()
    const ivStart = 3 + DEK_ID.length
    for (let i = 0; i < 100_000; i++) {
      const blob = encryptField(dek, DEK_ID, AAD, 'x')
      ivs.add(blob.toString('hex', ivStart, ivStart + 12))
    }
    expect(ivs.size).toBe(100_000)
  })

  it('makes 32-byte random data keys', () => {
    const a = newDataKey()
    expect(a).toHaveLength(32)
    expect(a.equals(newDataKey())).toBe(false)
  })
})
