import { generateKeyPairSync } from 'node:crypto'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createKeyring, loadKeyring, rotateKek } from './keyring.js'
import { publicKeyOf, sign, verify } from './signing.js'
import { tempDir as testTempDir } from '../../test/support/temp-dir.js'

const newPath = (): string => join(testTempDir('sig'), 'keyring.json')

describe('Ed25519 signing', () => {
  const path = newPath()
  const keyring = createKeyring(path)
  const pub = publicKeyOf(keyring)

  it('signs with 64-byte deterministic signatures that verify against the SPKI public key', () => {
    const msg = Buffer.from('checkpoint 42 root abc')
    const sig = sign(keyring, msg)
    expect(sig).toHaveLength(64)
    expect(sign(keyring, msg).equals(sig)).toBe(true)
    expect(verify(pub, msg, sig)).toBe(true)
    expect(verify(publicKeyOf(loadKeyring(path)), msg, sig)).toBe(true)
  })

  it('rejects any 1-bit flip in the message or the signature', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.nat(), fc.integer({ min: 0, max: 7 }), fc.boolean(), (bytes, pick, bit, inSig) => {
        const msg = Buffer.from(bytes)
        const sig = sign(keyring, msg)
        const target = inSig ? Buffer.from(sig) : Buffer.from(msg)
        const i = pick % target.length
        target[i] = (target[i] as number) ^ (1 << bit)
        expect(inSig ? verify(pub, msg, target) : verify(pub, target, sig)).toBe(false)
      }),
      { numRuns: 1000 },
    )
  })

  it('rejects signatures from another keyring and malformed signatures', () => {
    const msg = Buffer.from('receipt')
    const other = createKeyring(newPath())
    expect(verify(pub, msg, sign(other, msg))).toBe(false)
    expect(verify(publicKeyOf(other), msg, sign(keyring, msg))).toBe(false)
    const sig = sign(keyring, msg)
    for (const bad of [Buffer.alloc(0), sig.subarray(0, 63), Buffer.concat([sig, Buffer.of(0)]), Buffer.alloc(64)]) {
      expect(verify(pub, msg, bad)).toBe(false)
    }
  })

  it('keeps the signing key across KEK rotation', () => {
    const p = newPath()
    const before = createKeyring(p)
    const after = rotateKek(p)
    expect(publicKeyOf(after).equals(publicKeyOf(before))).toBe(true)
    expect(verify(publicKeyOf(before), Buffer.from('x'), sign(after, Buffer.from('x')))).toBe(true)
  })

  it('throws on a public key that is not Ed25519 SPKI DER instead of returning a verdict', () => {
    const x25519 = generateKeyPairSync('x25519').publicKey.export({ format: 'der', type: 'spki' })
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'der', type: 'spki' })
    const sig = sign(keyring, Buffer.from('x'))
    expect(() => verify(x25519, Buffer.from('x'), sig)).toThrow(TypeError)
    expect(() => verify(ec, Buffer.from('x'), sig)).toThrow(TypeError)
    expect(() => verify(Buffer.from('garbage'), Buffer.from('x'), sig)).toThrow(TypeError)
  })
})
