import type { Readable } from 'node:stream'
import { CsvError, parse } from 'csv-parse'
import { DialwardError } from '../../core/errors.js'
import { fieldKey as normalizeFieldName } from '../../core/contacts/field-names.js'
import { isVicidialHeader, splitVicidialLine } from '../../core/contacts/vicidial-layout.js'

/** The formats bulk imports read: CSV with a header row, or newline-delimited JSON objects. */
export const RECORD_FORMATS = ['csv', 'ndjson'] as const
/** The formats lead (contact) imports read: those, and VICIdial's standard lead layout (pipe or tab delimited, no quoting). */
export const LEAD_FORMATS = ['csv', 'ndjson', 'vicidial'] as const
export type RecordFormat = (typeof LEAD_FORMATS)[number]

/**
 * One record of an import file: its 1-based row (data rows for CSV, lines for NDJSON) and its
 * fields by normalized name (lower case, letters and digits only: `page_url`, `pageUrl` and
 * `Page URL` are all `pageurl`). `problem` is set when the row itself cannot be read.
 */
export interface RawRecord {
  readonly row: number
  readonly fields: Readonly<Record<string, string>>
  readonly problem?: string
  /** The file's own spelling of each normalized field name (its header, or VICIdial's column names), when the format has one. */
  readonly names?: Readonly<Record<string, string>>
}

/** A field name as import files spell it, normalized. */
export function fieldKey(name: string): string {
  return normalizeFieldName(name)
}

/** Longest row accepted (a disclosure text may be long). */
const MAX_RECORD_BYTES = 1 << 20

/**
 * Streams the records of an import file in bounded memory. A structurally malformed CSV (quotes)
 * refuses the whole file (`INVALID_CSV` naming the row); a bad NDJSON line is a refused record.
 */
export async function* readRecords(source: Readable, format: RecordFormat): AsyncGenerator<RawRecord> {
  if (format === 'csv') {
    const parser = source.pipe(parse({ bom: true, max_record_size: MAX_RECORD_BYTES, skip_empty_lines: true, relax_column_count: false }))
    let header: string[] | null = null
    let names: Record<string, string> = {}
    let row = 0
    try {
      for await (const record of parser as AsyncIterable<string[]>) {
        if (header === null) {
          header = record.map(fieldKey)
          names = Object.freeze(Object.fromEntries(header.map((k, i) => [k, record[i]!])))
          continue
        }
        row++
        const fields: Record<string, string> = {}
        header.forEach((k, i) => {
          const v = record[i]
          if (v !== undefined && v !== '') fields[k] = v
        })
        yield { row, fields, names }
      }
    } catch (err) {
      const code = (err as { code?: string }).code
      if (err instanceof CsvError || (typeof code === 'string' && code.startsWith('CSV_'))) throw new DialwardError('INVALID_CSV', `row ${row + 1}: malformed CSV (${(err as Error).message.split('\n')[0]})`, 'file')
      throw err
    }
    return
  }
  if (format === 'vicidial') {
    yield* readVicidial(source)
    return
  }
  let buffered = ''
  let row = 0
  source.setEncoding('utf8')
  const parseLine = (line: string): RawRecord => {
    row++
    try {
      const v: unknown = JSON.parse(line)
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return { row, fields: {}, problem: 'is not a JSON object' }
      const fields: Record<string, string> = {}
      for (const [k, value] of Object.entries(v)) {
        if (value === null || value === undefined) continue
        if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return { row, fields: {}, problem: `field ${k} is not a string, number or boolean` }
        fields[fieldKey(k)] = String(value)
      }
      return { row, fields }
    } catch {
      return { row, fields: {}, problem: 'is not valid JSON' }
    }
  }
  for await (const chunk of source) {
    buffered += chunk as string
    if (buffered.length > MAX_RECORD_BYTES && !buffered.includes('\n')) throw new DialwardError('INVALID_INPUT', `line ${row + 1} is longer than ${MAX_RECORD_BYTES} bytes`, 'file')
    let start = 0
    let nl: number
    while ((nl = buffered.indexOf('\n', start)) >= 0) {
      const line = buffered.slice(start, nl).replace(/\r$/, '')
      start = nl + 1
      if (line.trim() === '') {
        row++
        continue
      }
      yield parseLine(line)
    }
    buffered = buffered.slice(start)
  }
  if (buffered.trim() !== '') yield parseLine(buffered)
}

/** The lines of a text stream (LF or CRLF), in bounded memory; a line longer than the record limit refuses the file. */
async function* lines(source: Readable): AsyncGenerator<string> {
  let buffered = ''
  source.setEncoding('utf8')
  for await (const chunk of source) {
    buffered += chunk as string
    let start = 0
    let nl: number
    while ((nl = buffered.indexOf('\n', start)) >= 0) {
      yield buffered.slice(start, nl).replace(/\r$/, '')
      start = nl + 1
    }
    buffered = buffered.slice(start)
    if (buffered.length > MAX_RECORD_BYTES) throw new DialwardError('INVALID_INPUT', `a line is longer than ${MAX_RECORD_BYTES} bytes`, 'file')
  }
  if (buffered !== '') yield buffered.replace(/\r$/, '')
}

/**
 * VICIdial's standard lead layout (see core/contacts/vicidial-layout.ts): one lead a line, pipe or
 * tab delimited, no quoting; a first line naming the columns is skipped. The number (`phone_code`
 * with `phone_number`) is the field `phone`; every other non-empty column is a field under its
 * VICIdial name. Rows count lines, blank lines included.
 */
async function* readVicidial(source: Readable): AsyncGenerator<RawRecord> {
  const names: Record<string, string> = {}
  let row = 0
  let first = true
  for await (const line of lines(source)) {
    row++
    if (first) {
      first = false
      const bare = line.replace(/^\uFEFF/, '')
      if (isVicidialHeader(bare)) continue
    }
    if (line.trim() === '') continue
    const { phone, columns } = splitVicidialLine(row === 1 ? line.replace(/^\uFEFF/, '') : line)
    const fields: Record<string, string> = {}
    if (phone !== '') fields['phone'] = phone
    names['phone'] = 'phone_number'
    for (const [column, value] of Object.entries(columns)) {
      if (column === 'phone_number' || column === 'phone_code' || value.trim() === '') continue
      const key = fieldKey(column)
      names[key] = column
      fields[key] = value
    }
    yield { row, fields, names }
  }
}
