import { createHmac, createSecretKey, generateKeyPairSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { inspect } from 'node:util'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BlindIndexer, PHONE_INDEX_DOMAIN, blindIndex } from './blind-index.js'
import { Keyring, createKeyring, rotateKek } from './keyring.js'
import { tempDir as testTempDir } from '../../test/support/temp-dir.js'

const newPath = (): string => join(testTempDir('bidx'), 'keyring.json')
const keyOf = (k: Keyring): Buffer => k.blindIndexKey().export()

/** A keyring whose blind-index key is `key`, built in memory. */
function keyringWith(key: Buffer): Keyring {
  const createdAt = '2025-01-01T00:00:00.000Z'
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  return new Keyring({
    keks: [{ id: 'kek-1', alg: 'A256GCM', createdAt, state: 'active', key: createSecretKey(Buffer.alloc(32, 9)) }],
    blindIndex: { id: 'bik-test', createdAt, key: createSecretKey(key) },
    signing: { id: 'sig-1', createdAt, privateKey, publicKey },
  })
}

/** Canonical E.164: '+', a non-zero digit, then 1–14 more digits. */
const e164 = fc
  .tuple(fc.integer({ min: 1, max: 9 }), fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 14 }))
  .map(([first, rest]) => `+${first}${rest}`)
const key32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((a) => Buffer.from(a))

describe('blindIndex', () => {
  const KAT_KEY = Buffer.from(Array.from({ length: 32 }, (_, i) => i + 1))

  it('matches known answers (HMAC-SHA-256 of the domain prefix and the number, 128 bits)', () => {
    // Cross-checked with Python: hmac.new(bytes(range(1, 33)), b'dialward.phone.v1\0' + n, sha256).hexdigest()[:32]
    expect(blindIndex(KAT_KEY, '+13052000002')).toBe('acba7148cd35d8e7fbd923c6de1f5be1')
    expect(blindIndex(KAT_KEY, '+442079460000')).toBe('19521cecbf88c41b8fd325804fb26a0c')
    const indexer = new BlindIndexer(keyringWith(KAT_KEY))
    expect(indexer.phone('+13052000002')).toBe('acba7148cd35d8e7fbd923c6de1f5be1')
    expect(indexer.phone('+442079460000')).toBe('19521cecbf88c41b8fd325804fb26a0c')
    expect(indexer.keyId).toBe('bik-test')
  })

  it('is deterministic and 32 lowercase hex characters', () => {
    fc.assert(
      fc.property(key32, e164, (key, n) => {
        const a = blindIndex(key, n)
        expect(a).toMatch(/^[0-9a-f]{32}$/)
        expect(blindIndex(Buffer.from(key), n)).toBe(a)
      }),
      { numRuns: 1000 },
    )
  })

  it('differs by key', () => {
    fc.assert(
      fc.property(key32, key32, e164, (k1, k2, n) => {
        fc.pre(!k1.equals(k2))
        expect(blindIndex(k1, n)).not.toBe(blindIndex(k2, n))
      }),
      { numRuns: 1000 },
    )
  })

  it('differs by number', () => {
    fc.assert(
      fc.property(key32, e164, e164, (k, a, b) => {
        fc.pre(a !== b)
        expect(blindIndex(k, a)).not.toBe(blindIndex(k, b))
      }),
      { numRuns: 1000 },
    )
  })

  it('never contains the input or its digits', () => {
    const longE164 = fc
      .tuple(fc.integer({ min: 1, max: 9 }), fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 9, maxLength: 14 }))
      .map(([first, rest]) => `+${first}${rest}`)
    fc.assert(
      fc.property(key32, longE164, (k, n) => {
        const idx = blindIndex(k, n)
        expect(idx).not.toContain(n)
        expect(idx).not.toContain(n.slice(1))
        expect(idx).not.toContain(n.slice(-9))
      }),
      { numRuns: 1000 },
    )
  })

  it('is domain-separated from a bare HMAC and a plain hash of the number', () => {
    const n = '+13052000002'
    expect(PHONE_INDEX_DOMAIN).toBe('dialward.phone.v1\0')
    const bare = createHmac('sha256', KAT_KEY).update(n).digest('hex').slice(0, 32)
    expect(blindIndex(KAT_KEY, n)).not.toBe(bare)
  })

  it('accepts only canonical E.164', () => {
    const bad = ['', '+', '+1', '13052000002', '+0305200000', '+1 3052000002', '+1-305-200-0002', '+１3052000002', '+1305200000212345', ' +13052000002', '+13052000002\n', '+١٣٠٥']
    for (const s of bad) expect(() => blindIndex(KAT_KEY, s), JSON.stringify(s)).toThrow(RangeError)
    const indexer = new BlindIndexer(keyringWith(KAT_KEY))
    for (const s of bad) expect(() => indexer.phone(s), JSON.stringify(s)).toThrow(RangeError)
    expect(blindIndex(KAT_KEY, '+123456789012345')).toMatch(/^[0-9a-f]{32}$/)
  })

  it('refuses keys that are not 32 bytes', () => {
    expect(() => blindIndex(Buffer.alloc(16), '+13052000002')).toThrow(RangeError)
    expect(() => blindIndex(Buffer.alloc(64), '+13052000002')).toThrow(RangeError)
  })
})

describe('BlindIndexer', () => {
  it('equals blindIndex for any key and number, including after long and short numbers in a row', () => {
    fc.assert(
      fc.property(key32, fc.array(e164, { minLength: 1, maxLength: 20 }), (key, numbers) => {
        const indexer = new BlindIndexer(keyringWith(key))
        for (const n of numbers) expect(indexer.phone(n)).toBe(blindIndex(key, n))
      }),
      { numRuns: 1000 },
    )
  })

  it('uses the keyring file key, and a rotation of KEKs does not change indexes', () => {
    const path = newPath()
    const kr = createKeyring(path)
    const before = new BlindIndexer(kr)
    expect(before.phone('+13052000002')).toBe(blindIndex(keyOf(kr), '+13052000002'))
    const after = new BlindIndexer(rotateKek(path))
    expect(after.phone('+13052000002')).toBe(before.phone('+13052000002'))
    expect(after.keyId).toBe(kr.blindIndexKeyId)
    const other = new BlindIndexer(createKeyring(newPath()))
    expect(other.phone('+13052000002')).not.toBe(before.phone('+13052000002'))
  })

  it('does not show its key when logged', () => {
    const path = newPath()
    const indexer = new BlindIndexer(createKeyring(path))
    const key = Buffer.from(JSON.parse(readFileSync(path, 'utf8')).blindIndex.key, 'base64')
    const renderings = [String(indexer), JSON.stringify(indexer), inspect(indexer, { showHidden: true, depth: Infinity })]
    for (const r of renderings) {
      expect(r).not.toContain(key.toString('hex'))
      expect(r).not.toContain(key.toString('base64'))
    }
  })
})
