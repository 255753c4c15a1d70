import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DecryptError } from './decrypt-error.js'
import { newDataKey } from './envelope.js'
import { FILE_WRAP_ALG, FileKeyProvider, type WrappedKey } from './key-provider.js'
import { createKeyring, loadKeyring, rotateKek } from './keyring.js'
import { tempDir as testTempDir } from '../../test/support/temp-dir.js'

const newPath = (): string => join(testTempDir('kp'), 'keyring.json')

function expectDecryptError(fn: () => unknown, reason: DecryptError['reason']): void {
  let caught: unknown
  try {
    fn()
  } catch (err) {
    caught = err
  }
  expect(caught).toBeInstanceOf(DecryptError)
  expect((caught as DecryptError).reason).toBe(reason)
}

describe('FileKeyProvider', () => {
  const path = newPath()
  const keyring = createKeyring(path)
  const provider = new FileKeyProvider(keyring)

  it('wraps under the active KEK and unwraps to the same key', () => {
    const dek = newDataKey()
    const w = provider.wrap(dek, 'data_keys|dk_1|wrapped')
    expect(w.kekId).toBe(keyring.activeKek.id)
    expect(provider.activeKekId()).toBe(keyring.activeKek.id)
    expect(w.alg).toBe(FILE_WRAP_ALG)
    expect(w.blob).toHaveLength(60)
    expect(w.blob.includes(dek)).toBe(false)
    expect(provider.unwrap(w, 'data_keys|dk_1|wrapped').equals(dek)).toBe(true)
  })

  it('uses a fresh IV per wrap', () => {
    const dek = newDataKey()
    const a = provider.wrap(dek, 'x')
    const b = provider.wrap(dek, 'x')
    expect(a.blob.subarray(0, 12).equals(b.blob.subarray(0, 12))).toBe(false)
  })

  it('refuses data keys that are not 32 bytes', () => {
    expect(() => provider.wrap(Buffer.alloc(16), 'x')).toThrow(RangeError)
  })

  it('rejects a wrapped key moved to another AAD (row swap)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        fc.pre(a !== b)
        const w = provider.wrap(newDataKey(), a)
        expectDecryptError(() => provider.unwrap(w, b), 'auth-failed')
      }),
      { numRuns: 300 },
    )
  })

  it('rejects every single flipped bit of the blob (all 480 positions)', () => {
    const w = provider.wrap(newDataKey(), 'aad')
    for (let bit = 0; bit < w.blob.length * 8; bit++) {
      const blob = Buffer.from(w.blob)
      blob[bit >> 3] = (blob[bit >> 3] as number) ^ (1 << (bit & 7))
      expectDecryptError(() => provider.unwrap({ ...w, blob }, 'aad'), 'auth-failed')
    }
  })

  it('rejects truncated or extended blobs, unknown algorithms and unknown KEKs', () => {
    const w = provider.wrap(newDataKey(), 'aad')
    for (let n = 0; n < w.blob.length; n++) {
      expectDecryptError(() => provider.unwrap({ ...w, blob: w.blob.subarray(0, n) }, 'aad'), 'malformed')
    }
    expectDecryptError(() => provider.unwrap({ ...w, blob: Buffer.concat([w.blob, Buffer.of(0)]) }, 'aad'), 'malformed')
    expectDecryptError(() => provider.unwrap({ ...w, alg: 'A128GCM' }, 'aad'), 'unsupported')
    expectDecryptError(() => provider.unwrap({ ...w, kekId: 'kek-unknown' }, 'aad'), 'key-mismatch')
  })

  it('rejects a blob relabelled with another KEK id the keyring holds', () => {
    const p = newPath()
    createKeyring(p)
    const old = new FileKeyProvider(loadKeyring(p))
    const w = old.wrap(newDataKey(), 'aad')
    const rotated = new FileKeyProvider(rotateKek(p))
    expectDecryptError(() => rotated.unwrap({ ...w, kekId: rotated.activeKekId() }, 'aad'), 'auth-failed')
  })

  it('rejects keys wrapped by another keyring', () => {
    const other = new FileKeyProvider(createKeyring(newPath()))
    const w = other.wrap(newDataKey(), 'aad')
    expectDecryptError(() => provider.unwrap(w, 'aad'), 'key-mismatch')
  })

  it('never puts key material or AAD in error messages', () => {
    const dek = newDataKey()
    const w = provider.wrap(dek, 'CANARY-AAD')
    try {
      provider.unwrap(w, 'CANARY-OTHER')
      expect.unreachable()
    } catch (err) {
      const m = (err as Error).message
      expect(m).not.toContain('CANARY')
      expect(m).not.toContain(dek.toString('hex'))
      expect(m).not.toContain(dek.toString('base64'))
    }
  })
})

describe('KEK rotation', () => {
  it('keeps data keys wrapped under the old KEK unwrappable, and wraps new ones under the new KEK', () => {
    const path = newPath()
    const before = new FileKeyProvider(createKeyring(path))
    const deks = Array.from({ length: 20 }, (_, i) => ({ aad: `data_keys|dk_${i}|wrapped`, dek: newDataKey() }))
    const wrapped: WrappedKey[] = deks.map(({ dek, aad }) => before.wrap(dek, aad))
    const oldKekId = before.activeKekId()

    const after = new FileKeyProvider(rotateKek(path))
    expect(after.activeKekId()).not.toBe(oldKekId)
    deks.forEach(({ dek, aad }, i) => {
      expect(after.unwrap(wrapped[i] as WrappedKey, aad).equals(dek)).toBe(true)
    })

    const fresh = after.wrap(deks[0]!.dek, 'new')
    expect(fresh.kekId).toBe(after.activeKekId())
    expect(after.unwrap(fresh, 'new').equals(deks[0]!.dek)).toBe(true)

    // Re-wrap (what a rotation job does): unwrap under the old KEK, wrap under the new one.
    const rewrapped = after.wrap(after.unwrap(wrapped[1] as WrappedKey, deks[1]!.aad), deks[1]!.aad)
    expect(rewrapped.kekId).toBe(after.activeKekId())
    const reloaded = new FileKeyProvider(loadKeyring(path))
    expect(reloaded.unwrap(rewrapped, deks[1]!.aad).equals(deks[1]!.dek)).toBe(true)
    expect(reloaded.unwrap(wrapped[2] as WrappedKey, deks[2]!.aad).equals(deks[2]!.dek)).toBe(true)

    // The keyring from before the rotation cannot unwrap what the new KEK wrapped.
    expectDecryptError(() => before.unwrap(fresh, 'new'), 'key-mismatch')
  })
})
