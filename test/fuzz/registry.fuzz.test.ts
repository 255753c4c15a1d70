import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { RegistryFileParser } from '../../src/core/dnc/registry-file.js'
import { ChangeListParser } from '../../src/core/dnc/change-list.js'
import { CrtcXmlParser } from '../../src/core/dnc/crtc-xml.js'
import { readRegistryFile } from '../../src/app/files/read-registry-file.js'
import { DialwardError } from '../../src/core/errors.js'
import { tempDir } from '../support/temp-dir.js'
import { FUZZ_TIMEOUT, chunksOf, fuzzParams, hostileBytes, splitPoints } from './fuzz-runs.js'

const enc = new TextEncoder()

/** A registry-ish line: mostly digits and the separators these formats use, sometimes anything. */
const line = fc.oneof(
  fc.constantFrom('305,2000002', '3052000002', '212,2000003', 'NPA,NUMBER', '+44 20 7946 0018', '020 7946 0018', '01632960000', '3052000002,A', 'D,212,2000003', '2026-12-01,3052000004,ADD', '', ' ', '\r', 'x', '\ufeff'),
  fc.string({ unit: fc.constantFrom(...'0123456789', ',', ' ', '\t', '+', 'A', 'D', '-', '/', ':', 'T', '\r', '"', '<', '>'), maxLength: 24 }),
)
const registryText = fc.array(line, { maxLength: 20 }).chain((ls) =>
  fc.constantFrom('\n', '\r\n').map((eol) => enc.encode(ls.join(eol))),
)
const input = fc.oneof(registryText, hostileBytes())

/** A CRTC-XML-ish document: the right element names in random order, with random attributes and text. */
const xmlPiece = fc.oneof(
  fc.constantFrom('<?xml version="1.0"?>', '<list type="full" level="all">', '<list type="full" level="ac">', '</list>', '<ac val="305">', '<ac val="212">', '</ac>', '<ph val="2000002"/>', '<ph val="3052000003"/>', '<!-- c -->', '<!--', '-->', '<!DOCTYPE x>', '<ph val=\'2000004\' />', '\n', ' ', '<', '>', '/>', '"', '<ac val=305>'),
  fc.string({ maxLength: 10 }),
)
const xmlInput = fc.oneof(fc.array(xmlPiece, { maxLength: 25 }).map((p) => enc.encode(p.join(''))), hostileBytes())

function flat(bytes: Uint8Array, cuts: number[], format: 'nanp' | 'uk', skipInvalid: boolean) {
  const seen: number[] = []
  const p = new RegistryFileParser({ add: (n) => (seen.push(n), true) }, { format, skipInvalid })
  for (const c of chunksOf(bytes, cuts)) p.feed(c)
  const error = p.end()
  return { error, stats: p.stats, seen }
}

function changes(bytes: Uint8Array, cuts: number[], format: 'nanp' | 'uk', skipInvalid: boolean) {
  const seen: string[] = []
  const p = new ChangeListParser((n, op) => seen.push(`${op}${n}`), { format, skipInvalid })
  for (const c of chunksOf(bytes, cuts)) p.feed(c)
  const error = p.end()
  return { error, stats: p.stats, seen }
}

function crtc(bytes: Uint8Array, cuts: number[], skipInvalid: boolean) {
  const seen: string[] = []
  const p = new CrtcXmlParser({ area: (a) => seen.push(`ac${a}`), number: (n) => seen.push(`ph${n}`) }, { skipInvalid })
  for (const c of chunksOf(bytes, cuts)) p.feed(c)
  const error = p.end()
  return { error, stats: p.stats, seen }
}

const national = (n: number, uk: boolean): boolean => Number.isInteger(n) && n > 0 && n < (uk ? 1e11 : 1e10)

describe('fuzz: registry files and change lists', () => {
  it('the flat-file parser never throws; chunking never changes its answer; every number is a national number', () => {
    fc.assert(
      fc.property(input, splitPoints(), fc.constantFrom('nanp' as const, 'uk' as const), fc.boolean(), (bytes, cuts, format, skip) => {
        const whole = flat(bytes, [], format, skip)
        // a bad character cut by a chunk boundary is named U+FFFD: compare the reasons without code points
        const plain = (r: ReturnType<typeof flat>) => ({ ...r, error: r.error && { ...r.error, reason: r.error.reason.replace(/U\+[0-9A-F]+/, 'U+?') } })
        expect(plain(flat(bytes, cuts, format, skip))).toEqual(plain(whole))
        for (const n of whole.seen) expect(national(n, format === 'uk')).toBe(true)
        if (whole.error !== null) {
          expect(skip).toBe(false)
          expect(whole.error.line).toBeGreaterThanOrEqual(1)
        }
      }),
      fuzzParams(),
    )
  }, FUZZ_TIMEOUT)

  it('the change-list parser never throws; chunking never changes its answer', () => {
    fc.assert(
      fc.property(input, splitPoints(), fc.constantFrom('nanp' as const, 'uk' as const), fc.boolean(), (bytes, cuts, format, skip) => {
        const whole = changes(bytes, [], format, skip)
        expect(changes(bytes, cuts, format, skip)).toEqual(whole)
        for (const s of whole.seen) expect(s).toMatch(/^(add|delete)\d+$/)
        if (whole.error !== null) expect(skip).toBe(false)
      }),
      fuzzParams(),
    )
  }, FUZZ_TIMEOUT)

  it('the CRTC XML parser never throws; chunking never changes its answer', () => {
    fc.assert(
      fc.property(xmlInput, splitPoints(), fc.boolean(), (bytes, cuts, skip) => {
        const whole = crtc(bytes, [], skip)
        expect(crtc(bytes, cuts, skip)).toEqual(whole)
        for (const s of whole.seen) expect(s).toMatch(/^(ac\d{3}|ph\d{10})$/)
      }),
      fuzzParams(),
    )
  }, FUZZ_TIMEOUT)

  it('readRegistryFile on any file (plain or gzip) answers or throws only INVALID_REGISTRY_FILE', async () => {
    const dir = tempDir('fuzz-registry')
    let i = 0
    await fc.assert(
      fc.asyncProperty(fc.oneof(input, xmlInput), fc.constantFrom('plain', 'gzip', 'broken-gzip'), fc.constantFrom('us-national', 'ca-national', 'uk-tps'), fc.boolean(), async (bytes, container, registry, skipInvalid) => {
        const path = join(dir, `f${i++}`)
        const body = container === 'plain' ? bytes : container === 'gzip' ? gzipSync(bytes) : gzipSync(bytes).subarray(0, 12)
        writeFileSync(path, body)
        try {
          const r = await readRegistryFile(path, registry, { skipInvalid })
          expect(r.numbers).toBeGreaterThanOrEqual(0)
          expect(r.lines).toBeGreaterThanOrEqual(0)
        } catch (err) {
          expect(err).toBeInstanceOf(DialwardError)
          expect((err as DialwardError).code).toBe('INVALID_REGISTRY_FILE')
          expect((err as Error).message).not.toMatch(/\n/)
        }
      }),
      fuzzParams(0.3),
    )
  }, FUZZ_TIMEOUT)
})

/** Counterexamples the properties above found (each failed before its fix). */
describe('registry parser regressions found by fuzzing', () => {
  const bom = Uint8Array.from([0xef, 0xbb, 0xbf])
  const body = enc.encode('3052000002\n')
  const withBom = Uint8Array.from([...bom, ...body])

  it('a BOM cut by a chunk boundary is still a BOM (flat files)', () => {
    for (const cut of [1, 2]) {
      const r = flat(withBom, [cut], 'nanp', false)
      expect(r.error).toBeNull()
      expect(r.seen).toEqual([3052000002])
    }
    expect(flat(bom, [1], 'nanp', false).error).toBeNull()
    // one or two bytes that only begin like a BOM are a malformed first line
    expect(flat(Uint8Array.from([0xef]), [], 'nanp', false).error?.line).toBe(1)
  })

  it('an overlong UTF-8 sequence is not named as the character it spells', () => {
    expect(flat(Uint8Array.from([0xc0, 0x80]), [], 'nanp', false).error?.reason).toBe('unexpected character U+FFFD at column 1; expected NPA,NXXXXXX or 10 digits')
  })

  it('an empty first chunk or a cut BOM does not hide the BOM (change lists, CRTC XML)', () => {
    const list = Uint8Array.from([...bom, ...enc.encode('3052000002,A\n')])
    for (const cuts of [[0], [1], [2]]) expect(changes(list, cuts, 'nanp', false)).toEqual(changes(list, [], 'nanp', false))
    expect(changes(list, [], 'nanp', false).seen).toEqual(['add3052000002'])
    const xml = Uint8Array.from([...bom, ...enc.encode('<list type="full" level="all"><ac val="305"><ph val="2000002"/></ac></list>\n')])
    for (const cuts of [[0], [1], [2]]) expect(crtc(xml, cuts, false)).toEqual(crtc(xml, [], false))
    expect(crtc(xml, [], false).error).toBeNull()
  })

  it('CRTC XML: a tag cut by a chunk boundary after a line break does not count the line twice', () => {
    const text = enc.encode('\n<?xml version="1.0"?>')
    expect(crtc(text, [2], false).error).toEqual({ line: 2, reason: 'no <list> element' })
    expect(crtc(text, [], false).error).toEqual({ line: 2, reason: 'no <list> element' })
  })

  it('CRTC XML: text outside an element is reported on its own line', () => {
    expect(crtc(enc.encode('\n"'), [], false).error).toEqual({ line: 2, reason: 'text outside an element' })
    expect(crtc(enc.encode('\n"'), [1], false).error).toEqual({ line: 2, reason: 'text outside an element' })
  })
})
