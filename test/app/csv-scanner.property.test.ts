import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { loadConfig } from '../../src/app/config.js'
import { compose, type Services } from '../../src/app/compose.js'
import { requestContext } from '../../src/app/context.js'
import { requireInstant } from '../../src/app/input.js'
import { normalizePhone } from '../../src/core/phone/normalize.js'
import { PackedRegistry } from '../../src/core/dnc/packed-registry.js'
import { RegistrySnapshot } from '../../src/app/indexes/registry-snapshot.js'
import { ScrubEngine, type RowLayout } from '../../src/app/scrub/scrub-engine.js'
import { RecordChunks } from '../../src/app/scrub/record-chunks.js'
import { readHeader } from '../../src/app/scrub/csv-header.js'
import type { GateSession } from '../../src/app/gate/gate-session.js'

const enc = new TextEncoder()
const dec = new TextDecoder()

/** A field value: phone-like text, words with delimiters, quotes and line breaks, or empty. */
const fieldValue = fc.oneof(
  fc.constantFrom('3052000001', '(305) 200-0002', '+1 212 200 0003', '+44 20 7946 0018', 'not a number', '', ' ', '１２１２２０００００３'),
  fc.string({ unit: fc.constantFrom('a', 'b', 'Z', '1', '2', ' ', ',', ';', '\t', '"', '\n', '\r\n', 'é', '€'), maxLength: 12 }),
)

interface Table {
  readonly delimiter: string
  readonly eol: string
  readonly header: string[]
  readonly rows: string[][]
  readonly phoneIdx: number
  readonly lastEol: boolean
}

const table = fc
  .tuple(fc.constantFrom(',', ';', '\t'), fc.constantFrom('\n', '\r\n'), fc.integer({ min: 1, max: 5 }), fc.boolean())
  .chain(([delimiter, eol, width, lastEol]) =>
    fc.record({
      // a one-column file shows no delimiter in its header: it is read as comma-separated
      delimiter: fc.constant(width === 1 ? ',' : delimiter),
      eol: fc.constant(eol),
      header: fc.constant(Array.from({ length: width }, (_, i) => (i === 0 ? 'phone' : `col${i}`))),
      rows: fc.array(fc.array(fieldValue, { minLength: width, maxLength: width }), { maxLength: 40 }),
      phoneIdx: fc.constant(0),
      lastEol: fc.constant(lastEol),
      quoteAll: fc.boolean(),
    }),
  )

/** RFC 4180: a field is quoted when it holds the delimiter, a quote, CR or LF (or always, `quoteAll`), quotes doubled. */
function render(t: Table & { quoteAll: boolean }): string {
  const field = (v: string): string => (t.quoteAll || v.includes(t.delimiter) || /["\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)
  // a row of one empty field is an empty line, which is not a row (as csv-parse skips it)
  const rows = t.rows.filter((r) => !(r.length === 1 && r[0] === '' && !t.quoteAll))
  const lines = [t.header, ...rows].map((r) => r.map(field).join(t.delimiter))
  return lines.join(t.eol) + (t.lastEol ? t.eol : '')
}

describe('the hand-written CSV scanner equals csv-parse on RFC 4180 input', () => {
  let s: Services
  let dir: string
  let session: GateSession
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dialward-csv-prop-'))
    s = await compose(loadConfig({ data: join(dir, 'data') }, { ...process.env, DIALWARD_DATABASE_URL: '', DIALWARD_RULE_PACK: '' }), 'create')
    await s.campaigns.add(requestContext('test', 'admin'), { id: 'i', seller: 'Acme', purpose: 'informational', dialing: 'manual', channel: 'voice' })
    session = await s.gate.session('i', requireInstant('at', '2026-12-01T18:00:00Z'))
  })
  afterAll(async () => {
    await s?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const engineFor = (text: string): { engine: ScrubEngine; body: Uint8Array; delimiter: string } => {
    const bytes = enc.encode(text)
    const header = readHeader(bytes, true)!
    const layout: RowLayout = { delimiter: header.delimiter, fieldCount: header.fields.length, phoneIdx: 0, stateIdx: -1, zipIdx: -1, terminator: header.terminator, allowedOnly: false }
    const engine = new ScrubEngine(session, RegistrySnapshot.from([]), { nanp: PackedRegistry.empty(), byE164: new Map(), byBidx: null, indexOf: null }, layout)
    return { engine, body: bytes.subarray(header.end), delimiter: String.fromCharCode(header.delimiter) }
  }

  /** Scrubs `body` in chunks cut at `cuts` (record boundaries found by RecordChunks) and joins the output. */
  const scrubBody = (engine: ScrubEngine, body: Uint8Array, cuts: number[]): { text: string; error: string | null; rows: number } => {
    const chunks = new RecordChunks()
    const parts: string[] = []
    let rows = 0
    let at = 0
    let error: string | null = null
    const run = (chunk: Uint8Array | null): void => {
      if (chunk === null || error !== null) return
      const r = engine.process(chunk, 0, chunk.length)
      rows += r.rows
      parts.push(dec.decode(r.out))
      if (r.error !== null) error = r.error.problem
    }
    for (const size of cuts) {
      if (at >= body.length) break
      run(chunks.push(body.slice(at, at + size)))
      at += size
    }
    if (at < body.length) run(chunks.push(body.slice(at)))
    run(chunks.end())
    return { text: parts.join(''), error, rows }
  }

  it('reads every record and field as csv-parse does, keeps each row and its line ending, and appends the phone column', () => {
    fc.assert(
      fc.property(table, fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 20 }), (t, cuts) => {
        const text = render(t)
        const expected = parse(text, { delimiter: t.delimiter, skip_empty_lines: true, relax_column_count: false }) as string[][]
        const { engine, body, delimiter } = engineFor(text)
        const out = scrubBody(engine, body, cuts)
        expect(out.error).toBeNull()
        expect(out.rows).toBe(expected.length - 1)
        const got = parse(out.text, { delimiter, skip_empty_lines: true, relax_column_count: false }) as string[][]
        expect(got.length).toBe(expected.length - 1)
        for (let r = 0; r < got.length; r++) {
          const input = expected[r + 1]!
          expect(got[r]!.slice(0, input.length)).toEqual(input)
          const phone = normalizePhone(input[0]!)
          expect(got[r]![input.length]).toBe(phone.ok ? phone.phone.e164 : '')
        }
        // line endings as they came: a CRLF file stays CRLF
        if (t.eol === '\r\n' && got.length > 0) expect(out.text.endsWith('\r\n')).toBe(true)
        if (t.eol === '\n') expect(out.text.includes('\r\n')).toBe(text.includes('\r\n'))
      }),
      { numRuns: 300 },
    )
  })

  it('writes a chunk of more rows than one batch holds as it writes the rows one chunk each', () => {
    // short rows (a batch holds one row per 8 bytes of its chunk): the chunk spans several batches
    const values = ['3055550123', 'x', '""', '1', '"305 555 0199"', 'ab', '2125550100', '9']
    const rows = Array.from({ length: 9_000 }, (_, i) => values[(i * 7 + (i >> 4)) % values.length]!)
    const text = `phone\n${rows.join('\n')}\n`
    const { engine, body } = engineFor(text)
    const whole = engine.process(body, 0, body.length)
    expect(whole.error).toBeNull()
    expect(whole.rows).toBe(rows.length)
    expect(body.length >> 3).toBeLessThan(rows.length)
    const wholeText = dec.decode(whole.out)
    // another engine fed one row a chunk (every batch a single row)
    const single = engineFor(text).engine
    const parts: string[] = []
    let at = 0
    for (const r of rows) {
      const len = enc.encode(`${r}\n`).length
      parts.push(dec.decode(single.process(body.subarray(at, at + len), 0, len).out))
      at += len
    }
    expect(parts.join('')).toBe(wholeText)
    expect(wholeText.split('\n').length - 1).toBe(rows.length)
  })

  it('refuses malformed input exactly when csv-parse does, naming the same row for a stray quote', () => {
    const fault = fc.constantFrom('stray-quote', 'after-closing', 'unclosed', 'extra-field')
    fc.assert(
      fc.property(table, fault, fc.nat(), (t, kind, pick) => {
        const rows = t.rows.filter((r) => r.every((v) => !/["\r\n]/.test(v) && !v.includes(t.delimiter)) && !(r.length === 1 && r[0] === ''))
        if (rows.length === 0) return
        const k = pick % rows.length
        const bad = rows.map((r) => [...r])
        if (kind === 'stray-quote') bad[k]![bad[k]!.length - 1] = `ab"c`
        if (kind === 'after-closing') bad[k]![0] = `"ab"c`
        if (kind === 'unclosed') bad[k]![0] = `"ab`
        if (kind === 'extra-field') bad[k]!.push('x')
        const text = [t.header.join(t.delimiter), ...bad.map((r) => r.join(t.delimiter))].join(t.eol) + t.eol
        let parseError: { lines?: number } | null = null
        try {
          parse(text, { delimiter: t.delimiter, skip_empty_lines: true, relax_column_count: false })
        } catch (e) {
          parseError = e as { lines?: number }
        }
        const { engine, body } = engineFor(text)
        const bytes = body
        const r = engine.process(bytes, 0, bytes.length)
        expect(r.error !== null).toBe(parseError !== null)
        if (kind === 'stray-quote' && r.error !== null) expect(r.error.line + 1).toBe(parseError!.lines)
      }),
      { numRuns: 300 },
    )
  })
})
