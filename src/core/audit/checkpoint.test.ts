import { generateKeyPairSync, hash, sign, verify, type KeyObject } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fromBase64, toBase64, utf8 } from './bytes.js'
import {
  checkpointBody,
  noteKeyId,
  parseCheckpoint,
  signCheckpoint,
  verifyCheckpoint,
  type Checkpoint,
  type CheckpointSigningKey,
  type CheckpointTrust,
} from './checkpoint.js'
import type { Hasher } from './hasher.js'

const sha256: Hasher = (d) => new Uint8Array(hash('sha256', d, 'buffer'))

function keyPair(name: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const raw = fromBase64(publicKey.export({ format: 'jwk' }).x!.replace(/-/g, '+').replace(/_/g, '/') + '=')!
  const keyId = noteKeyId(sha256, name, raw)
  const signing: CheckpointSigningKey = { name, keyId, sign: (b) => new Uint8Array(sign(null, b, privateKey)) }
  return { signing, trust: (origin: string): CheckpointTrust => ({ origin, name, keyId, verify: verifier(publicKey) }) }
}

function verifier(publicKey: KeyObject) {
  return (b: Uint8Array, s: Uint8Array): boolean => s.length === 64 && verify(null, b, publicKey, s)
}

const ORIGIN = 'dialward.example/audit'
const log = keyPair(ORIGIN)
const other = keyPair(ORIGIN)
const root = sha256(utf8('root'))
const cp: Checkpoint = { origin: ORIGIN, size: 1042, root, time: Date.UTC(2026, 11, 1, 20, 0, 0, 5) }

describe('checkpointBody', () => {
  it('is origin, size, base64 root and ISO time, one per line', () => {
    expect(checkpointBody(cp)).toBe(`${ORIGIN}\n1042\n${toBase64(root)}\n2026-12-01T20:00:00.005Z\n`)
  })

  it.each([
    ['empty origin', { origin: '' }],
    ['newline in origin', { origin: 'a\nb' }],
    ['padded origin', { origin: ' a' }],
    ['negative size', { size: -1 }],
    ['fractional size', { size: 1.5 }],
    ['short root', { root: new Uint8Array(31) }],
    ['time before 1970', { time: -1 }],
  ])('rejects %s', (_, patch) => {
    expect(() => checkpointBody({ ...cp, ...patch })).toThrow(TypeError)
  })
})

describe('signCheckpoint → parseCheckpoint → verifyCheckpoint', () => {
  const note = signCheckpoint(cp, log.signing)

  it('writes a signed note: body, blank line, em-dash signature line', () => {
    const lines = note.split('\n')
    expect(lines.slice(0, 5)).toEqual([ORIGIN, '1042', toBase64(root), '2026-12-01T20:00:00.005Z', ''])
    expect(lines[5]).toMatch(new RegExp(`^\u2014 ${ORIGIN} [A-Za-z0-9+/]{91}=$`))
    expect(lines[6]).toBe('')
    expect(fromBase64(lines[5]!.split(' ')[2]!)!.slice(0, 4)).toEqual(log.signing.keyId)
  })

  it('round-trips', () => {
    const parsed = parseCheckpoint(note)
    expect(parsed.ok).toBe(true)
    if (parsed.ok) {
      expect(parsed.value.checkpoint).toEqual(cp)
      expect(parsed.value.body).toBe(checkpointBody(cp))
    }
    const v = verifyCheckpoint(note, log.trust(ORIGIN))
    expect(v.ok).toBe(true)
  })

  it('rejects a wrong key (same name and id, other key), an unknown key id, a wrong origin (A3)', () => {
    const forgedId = { ...other.trust(ORIGIN), keyId: log.signing.keyId }
    expect(verifyCheckpoint(note, forgedId)).toEqual({ ok: false, errors: [`signature by ${ORIGIN} does not verify`] })
    expect(verifyCheckpoint(note, other.trust(ORIGIN))).toEqual({ ok: false, errors: [`no signature by trusted key ${ORIGIN}`] })
    expect(verifyCheckpoint(note, log.trust('other.example/audit')).ok).toBe(false)
    expect(verifyCheckpoint(signCheckpoint({ ...cp, origin: 'other.example/audit' }, log.signing), log.trust(ORIGIN)).ok).toBe(false)
  })

  it('rejects an edited size, root or time (A3)', () => {
    const edits = [
      note.replace('\n1042\n', '\n1043\n'),
      note.replace('\n1042\n', '\n42\n'),
      note.replace(toBase64(root), toBase64(sha256(utf8('other')))),
      note.replace('20:00:00.005Z', '20:00:00.006Z'),
    ]
    for (const text of edits) {
      expect(text).not.toBe(note)
      expect(verifyCheckpoint(text, log.trust(ORIGIN))).toEqual({ ok: false, errors: [`signature by ${ORIGIN} does not verify`] })
    }
  })

  it('ignores signatures by other keys (cosigners) but needs one by the trusted key', () => {
    const cosigned = `${note}${signCheckpoint(cp, { ...other.signing, name: 'witness.example' }).split('\n\n')[1]!}`
    expect(verifyCheckpoint(cosigned, log.trust(ORIGIN)).ok).toBe(true)
    const onlyWitness = signCheckpoint(cp, { ...other.signing, name: 'witness.example' })
    expect(verifyCheckpoint(onlyWitness, log.trust(ORIGIN)).ok).toBe(false)
  })

  it('treats a throwing verifier as a failed signature', () => {
    const trust = { ...log.trust(ORIGIN), verify: (): boolean => { throw new Error('boom') } }
    expect(verifyCheckpoint(note, trust).ok).toBe(false)
  })

  it('rejects every single-character change anywhere in the note', () => {
    fc.assert(
      fc.property(fc.nat({ max: note.length - 1 }), fc.constantFrom(...'0123456789abcdefABCXYZ+/=\n -.:T\u2014'), (at, ch) => {
        fc.pre(note[at] !== ch)
        const text = note.slice(0, at) + ch + note.slice(at + 1)
        expect(verifyCheckpoint(text, log.trust(ORIGIN)).ok).toBe(false)
      }),
      { numRuns: 1000 },
    )
  })
})

describe('parseCheckpoint is strict', () => {
  const note = signCheckpoint(cp, log.signing)
  const sigLine = note.split('\n')[5]!
  const body = checkpointBody(cp)

  it.each([
    ['CRLF line ends', note.replace(/\n/g, '\r\n')],
    ['no blank line', note.replace('\n\n', '\n')],
    ['no signature', body + '\n'],
    ['no final newline', note.slice(0, -1)],
    ['extension line', body.replace(/\n$/, '\nextra\n') + '\n' + sigLine + '\n'],
    ['three body lines', `${ORIGIN}\n1042\n${toBase64(root)}\n\n${sigLine}\n`],
    ['leading zero size', note.replace('\n1042\n', '\n01042\n')],
    ['signed size', note.replace('\n1042\n', '\n+1042\n')],
    ['huge size', note.replace('\n1042\n', '\n9007199254740993\n')],
    ['unpadded root', note.replace(toBase64(root), toBase64(root).replace('=', ''))],
    ['url-safe root', note.replace(toBase64(root), toBase64(root).replace(/\+/g, '-').replace(/\//g, '_') + '-')],
    ['root of 33 bytes', note.replace(toBase64(root), toBase64(new Uint8Array(33)))],
    ['time without ms', note.replace('20:00:00.005Z', '20:00:00Z')],
    ['time with offset', note.replace('20:00:00.005Z', '20:00:00.005+00:00')],
    ['impossible date', note.replace('2026-12-01', '2026-02-30')],
    ['tab in origin', note.replace(ORIGIN + '\n', ORIGIN + '\t\n')],
    ['signature without em dash', note.replace('\u2014 ', '- ')],
    ['signature too short', note.replace(sigLine, `\u2014 ${ORIGIN} AAAA`)],
    ['signature with spaces in name', note.replace(sigLine, sigLine.replace(ORIGIN, 'a b'))],
    ['text after signatures', note + 'x'],
    ['blank line after signatures', note + '\n'],
  ])('rejects %s', (_, text) => {
    const r = parseCheckpoint(text)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.errors.length).toBeGreaterThan(0)
  })

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400, unit: 'binary' }), (s) => {
        const r = parseCheckpoint(s)
        expect(typeof r.ok).toBe('boolean')
      }),
      { numRuns: 1000 },
    )
    expect(parseCheckpoint('x'.repeat(20_000)).ok).toBe(false)
    expect(parseCheckpoint(null as unknown as string).ok).toBe(false)
  })

  it('round-trips random checkpoints', () => {
    fc.assert(
      fc.property(
        fc.record({
          origin: fc.stringMatching(/^[a-z0-9.\/-]{1,40}$/),
          size: fc.nat(),
          root: fc.uint8Array({ minLength: 32, maxLength: 32 }),
          time: fc.integer({ min: 0, max: 253_402_300_799_999 }),
        }),
        (c) => {
          const r = parseCheckpoint(signCheckpoint(c, log.signing))
          expect(r.ok && r.value.checkpoint).toEqual(c)
        },
      ),
      { numRuns: 300 },
    )
  })
})
