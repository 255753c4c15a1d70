import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { fromBase64, fromHex, toHex, utf8 } from '../core/audit/bytes.js'
import { noteKeyId } from '../core/audit/checkpoint.js'
import { ed25519PublicKeyBytes, ed25519Signer, ed25519Verifier, sha256 } from './signing.js'

const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url')

/** Ed25519 key objects from a raw 32-byte seed and public key. */
function keysFrom(seed: Uint8Array, pub: Uint8Array) {
  const jwk = { kty: 'OKP', crv: 'Ed25519', d: b64url(seed), x: b64url(pub) }
  return { privateKey: createPrivateKey({ key: jwk, format: 'jwk' }), publicKey: createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' }) }
}

describe('sha256', () => {
  it('matches FIPS 180-2 known answers', () => {
    expect(toHex(sha256(new Uint8Array(0)))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(toHex(sha256(utf8('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    expect(sha256(utf8('abc'))).toBeInstanceOf(Uint8Array)
  })
})

describe('Ed25519 adapters', () => {
  it('reproduce RFC 8032 §7.1 TEST 1 (empty message)', () => {
    const seed = fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60')!
    const pub = fromHex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a')!
    const { privateKey, publicKey } = keysFrom(seed, pub)
    const sig = ed25519Signer(privateKey)(new Uint8Array(0))
    expect(toHex(sig)).toBe(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    )
    expect(ed25519Verifier(publicKey)(new Uint8Array(0), sig)).toBe(true)
    expect(toHex(ed25519PublicKeyBytes(publicKey))).toBe(toHex(pub))
  })

  it('reproduce the golang.org/x/mod/sumdb/note example (key id and signature line)', () => {
    // Verifier key "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW" and signer key
    // "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz" (type byte 0x01 + key).
    const pub = fromBase64('ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')!.slice(1)
    const seed = fromBase64('AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz')!.slice(1)
    const text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
    const line = fromBase64('x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=')!
    expect(toHex(noteKeyId(sha256, 'PeterNeumann', pub))).toBe('c74f20a3')
    expect(toHex(line.slice(0, 4))).toBe('c74f20a3')
    const { privateKey, publicKey } = keysFrom(seed, pub)
    expect(toHex(ed25519Signer(privateKey)(utf8(text)))).toBe(toHex(line.slice(4)))
    expect(ed25519Verifier(publicKey)(utf8(text), line.slice(4))).toBe(true)
  })

  it('reject wrong keys, tampered messages and malformed signatures without throwing', () => {
    const a = generateKeyPairSync('ed25519')
    const b = generateKeyPairSync('ed25519')
    const msg = utf8('checkpoint')
    const sig = ed25519Signer(a.privateKey)(msg)
    expect(ed25519Verifier(a.publicKey)(msg, sig)).toBe(true)
    expect(ed25519Verifier(b.publicKey)(msg, sig)).toBe(false)
    expect(ed25519Verifier(a.publicKey)(utf8('checkpoinT'), sig)).toBe(false)
    expect(ed25519Verifier(a.publicKey)(msg, sig.slice(1))).toBe(false)
    expect(ed25519Verifier(a.publicKey)(msg, new Uint8Array(64))).toBe(false)
    expect(ed25519Verifier(a.publicKey)(msg, new Uint8Array(0))).toBe(false)
  })

  it('refuse keys of the wrong type', () => {
    const ed = generateKeyPairSync('ed25519')
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    expect(() => ed25519Signer(ed.publicKey)).toThrow(TypeError)
    expect(() => ed25519Signer(ec.privateKey)).toThrow(TypeError)
    expect(() => ed25519Verifier(ed.privateKey)).toThrow(TypeError)
    expect(() => ed25519Verifier(ec.publicKey)).toThrow(TypeError)
    expect(() => ed25519PublicKeyBytes(ec.publicKey)).toThrow(TypeError)
  })
})
