import type { Readable } from 'node:stream'
import { parse } from 'csv-parse'
import { DialwardError } from '../../core/errors.js'

/** The formats bulk imports read: CSV with a header row, or newline-delimited JSON objects. */
export const RECORD_FORMATS = ['csv', 'ndjson'] as const
export type RecordFormat = (typeof RECORD_FORMATS)[number]

/**
 * One record of an import file: its 1-based row (data rows for CSV, lines for NDJSON) and its
 * fields by normalized name (lower case, letters and digits only: `page_url`, `pageUrl` and
 * `Page URL` are all `pageurl`). `problem` is set when the row itself cannot be read.
 */
export interface RawRecord {
  readonly row: number
  readonly fields: Readonly<Record<string, string>>
  readonly problem?: string
}

/** A field name as import files spell it, normalized. */
export function fieldKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '')
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
    let row = 0
    try {
      for await (const record of parser as AsyncIterable<string[]>) {
        if (header === null) {
          header = record.map(fieldKey)
          continue
        }
        row++
        const fields: Record<string, string> = {}
        header.forEach((k, i) => {
          const v = record[i]
          if (v !== undefined && v !== '') fields[k] = v
        })
        yield { row, fields }
      }
    } catch (err) {
      const code = (err as { code?: string }).code
      if (typeof code === 'string' && code.startsWith('CSV_')) throw new DialwardError('INVALID_CSV', `row ${row + 1}: malformed CSV (${(err as Error).message.split('\n')[0]})`, 'file')
      throw err
    }
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
