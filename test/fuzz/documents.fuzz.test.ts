import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { readRecords, type RecordFormat } from '../../src/app/files/record-rows.js'
import { readHeader } from '../../src/app/scrub/csv-header.js'
import { RecordChunks } from '../../src/app/scrub/record-chunks.js'
import { LeadParser } from '../../src/app/contacts/lead-parser.js'
import { DEFAULT_DATA_SCHEMA, validateDataSchema } from '../../src/core/contacts/data-schema.js'
import { validatePack } from '../../src/core/rules/validate-pack.js'
import { parseTimeOfDay } from '../../src/core/rules/rule-pack.js'
import { loadRetentionPolicy } from '../../src/app/retention/policy-file.js'
import { DialwardError } from '../../src/core/errors.js'
import { tempDir } from '../support/temp-dir.js'
import { FUZZ_TIMEOUT, chunksOf, fuzzParams, hostileBytes, splitPoints, typedOnly } from './fuzz-runs.js'

const enc = new TextEncoder()

const csvField = fc.oneof(
  fc.constantFrom('phone', 'first_name', 'verified_at', 'state', '3052000002', '+1 212 200 0003', '2026-12-01', 'FL', '', '"', '""', '\ufeff', '\u0000'),
  fc.string({ unit: fc.constantFrom('a', '1', ',', ';', '\t', '"', '\n', '\r', '\r\n', 'é', '\ufffd', '|'), maxLength: 10 }),
)
const csvText = fc
  .tuple(fc.array(fc.array(csvField, { maxLength: 6 }), { maxLength: 8 }), fc.constantFrom('\n', '\r\n', '\r'), fc.boolean())
  .map(([rows, eol, bom]) => enc.encode((bom ? '\ufeff' : '') + rows.map((r) => r.join(',')).join(eol)))
const csvBytes = fc.oneof(csvText, hostileBytes(300))

async function drain(bytes: Uint8Array, cuts: number[], format: RecordFormat): Promise<unknown[]> {
  const out: unknown[] = []
  for await (const r of readRecords(Readable.from(chunksOf(bytes, cuts).map((c) => Buffer.from(c))), format)) out.push(r)
  return out
}

describe('fuzz: import files (CSV, NDJSON, VICIdial) and lead rows', () => {
  it('readRecords yields records or throws only INVALID_CSV / INVALID_INPUT naming the file, on any bytes, however chunked', async () => {
    await fc.assert(
      fc.asyncProperty(csvBytes, splitPoints(), fc.constantFrom<RecordFormat>('csv', 'ndjson', 'vicidial'), async (bytes, cuts, format) => {
        let whole: unknown[] | DialwardError
        try {
          whole = await drain(bytes, [], format)
        } catch (err) {
          expect(err).toBeInstanceOf(DialwardError)
          expect(['INVALID_CSV', 'INVALID_INPUT']).toContain((err as DialwardError).code)
          expect((err as DialwardError).field).toBe('file')
          expect((err as Error).message).not.toMatch(/\n/)
          whole = err as DialwardError
        }
        const chunked = await drain(bytes, cuts, format).catch((e: unknown) => e)
        if (whole instanceof DialwardError) expect((chunked as DialwardError).code).toBe(whole.code)
        else if (format !== 'ndjson' && format !== 'vicidial') expect(chunked).toEqual(whole)
      }),
      fuzzParams(0.5),
    )
  }, FUZZ_TIMEOUT)

  it('LeadParser turns any record into a lead or a quarantined row, or refuses the file with a typed error', async () => {
    const purpose = DEFAULT_DATA_SCHEMA.purposes['marketing']!
    const now = Date.UTC(2026, 11, 1)
    await fc.assert(
      fc.asyncProperty(csvBytes, fc.constantFrom<RecordFormat>('csv', 'ndjson', 'vicidial'), async (bytes, format) => {
        const parser = new LeadParser(purpose, now, now)
        try {
          for await (const r of readRecords(Readable.from([Buffer.from(bytes)]), format)) {
            const lead = parser.parse(r)
            if (lead.kind === 'lead') {
              expect(lead.phone.e164).toMatch(/^\+\d+$/)
              for (const k of Object.keys(lead.values)) expect(purpose.fields.map((f) => f.name)).toContain(k)
            } else expect(lead.reason).not.toMatch(/\d{10}/)
          }
        } catch (err) {
          expect(err).toBeInstanceOf(DialwardError)
          expect((err as Error).message).not.toMatch(/\n/)
        }
      }),
      fuzzParams(0.5),
    )
  }, FUZZ_TIMEOUT)

  it("the scrub's header reader and record chunker never throw anything but INVALID_CSV; chunks rejoin to the input", () => {
    fc.assert(
      fc.property(csvBytes, splitPoints(), (bytes, cuts) => {
        const h = typedOnly(() => readHeader(bytes, true), 'INVALID_CSV')
        if (!(h instanceof DialwardError) && h !== null) {
          expect(h.end).toBeLessThanOrEqual(bytes.length)
          expect([44, 59, 9]).toContain(h.delimiter)
        }
        const rc = new RecordChunks(1 << 20)
        const parts: Uint8Array[] = []
        for (const c of chunksOf(bytes, cuts)) {
          const out = rc.push(c)
          if (out !== null) parts.push(out)
        }
        const rest = rc.end()
        if (rest !== null) parts.push(rest)
        expect(Buffer.concat(parts).equals(Buffer.from(bytes))).toBe(true)
      }),
      fuzzParams(),
    )
  }, FUZZ_TIMEOUT)
})

/** JSON shaped like the documents, with random holes, wrong types and junk. */
const jsonLeaf = fc.oneof(fc.constantFrom('08:00', '21:00', '25:00', 'sat', 'US', 'FL', 'P', 'marketing', 'manual', 'predictive', '1d', '30d', '-1', '', 'P/S', 'US-FL', 'America/New_York'), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 8 }))
const docLike = (keys: readonly string[]) =>
  fc.letrec<{ node: unknown }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      jsonLeaf,
      fc.array(tie('node'), { maxLength: 4 }),
      fc.dictionary(fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 6 })), tie('node'), { maxKeys: 6 }),
    ),
  })).node

const PACK_KEYS = ['name', 'version', 'entries', 'id', 'appliesTo', 'country', 'region', 'purposes', 'dialing', 'window', 'weekdays', 'fixedZone', 'bannedDays', 'holidayBan', 'frequencyCap', 'emergencyBan', 'abandonmentCap', 'source', 'confidence', 'note', 'start', 'end', 'calls', 'days', 'per']
const POLICY_KEYS = ['classes', 'consent', 'dnc', 'decisions', 'calls', 'contacts', 'keep', 'ceiling', 'floor', 'days', 'months', 'years', 'after', 'trigger']
const SCHEMA_KEYS = ['purposes', 'marketing', 'informational', 'fields', 'name', 'keep', 'staleAfterDays', 'description', 'quarantine', 'days', 'months']

describe('fuzz: rule packs, data schemas and retention policies', () => {
  it('validatePack answers ok or a list of one-line errors for any JSON value', () => {
    fc.assert(
      fc.property(fc.oneof(docLike(PACK_KEYS), fc.jsonValue()), (doc) => {
        const r = validatePack(doc)
        if (!r.ok) {
          expect(r.errors.length).toBeGreaterThan(0)
          for (const e of r.errors) expect(e).not.toMatch(/\n/)
        }
      }),
      fuzzParams(),
    )
    fc.assert(fc.property(fc.anything(), (v) => void parseTimeOfDay(v)), fuzzParams(0.2))
  }, FUZZ_TIMEOUT)

  it('validateDataSchema answers ok or a list of errors for any JSON value', () => {
    fc.assert(
      fc.property(fc.oneof(docLike(SCHEMA_KEYS), fc.jsonValue()), (doc) => {
        const r = validateDataSchema(doc)
        if (!r.ok) expect(r.errors.length).toBeGreaterThan(0)
      }),
      fuzzParams(),
    )
  }, FUZZ_TIMEOUT)

  it('loadRetentionPolicy on any file content answers a policy or RETENTION_POLICY_INVALID', () => {
    const dir = tempDir('fuzz-policy')
    const path = join(dir, 'policy.json')
    fc.assert(
      fc.property(fc.oneof(docLike(POLICY_KEYS).map((d) => JSON.stringify(d) ?? 'null'), fc.string({ maxLength: 100 }), hostileBytes(100).map((b) => Buffer.from(b).toString('latin1'))), (text) => {
        writeFileSync(path, text)
        const r = typedOnly(() => loadRetentionPolicy(dir, path), 'RETENTION_POLICY_INVALID')
        if (!(r instanceof DialwardError)) expect(r.sha256).toMatch(/^[0-9a-f]{64}$/)
        else expect(r.message).not.toMatch(/\n/)
      }),
      fuzzParams(),
    )
  }, FUZZ_TIMEOUT)
})
