import { createReadStream, statSync } from 'node:fs'
import type { Command } from 'commander'
import { DialwardError } from '../../core/errors.js'
import { oneOf, requireText } from '../../app/input.js'
import { readRecords, RECORD_FORMATS, type RawRecord, type RecordFormat } from '../../app/files/record-rows.js'
import type { ImportReport } from '../../app/services/imports.js'
import { emit } from '../session.js'

/** The records of `--file` (re-readable: strict imports read it twice), with the format from `--format` or the extension. */
export function fileRecords(file: string, format: string | undefined, formats: readonly RecordFormat[] = RECORD_FORMATS): { source: () => AsyncIterable<RawRecord>; format: RecordFormat } {
  const path = requireText('file', file, 4_096)
  let regular = false
  try {
    regular = statSync(path).isFile()
  } catch {
    regular = false
  }
  if (!regular) throw new DialwardError('INPUT_UNREADABLE', `cannot read ${path}`, 'file')
  const chosen = format === undefined ? (/\.(nd)?jsonl?$/i.test(path) ? 'ndjson' : 'csv') : oneOf('format', format, formats)
  return { source: () => readRecords(createReadStream(path), chosen), format: chosen }
}

/** Prints an import's report; a strict import that refused the file exits 2 (nothing was stored). */
export function reportImport(cmd: Command, r: ImportReport, what: string): void {
  emit(cmd, r, `${what}: ${r.rows} records read, ${r.stored} stored, ${r.refused} refused${r.rejected ? ' (--strict: nothing stored)' : ''}`)
  if (!emitsJson(cmd)) for (const x of r.refusals.slice(0, 20)) process.stderr.write(`  row ${x.row}: ${x.message}\n`)
  if (r.rejected) {
    const first = r.refusals[0]
    throw new DialwardError('INVALID_INPUT', `${r.refused} records refused, nothing stored${first ? ` (first: row ${first.row}: ${first.message})` : ''}`, 'file')
  }
}

function emitsJson(cmd: Command): boolean {
  return cmd.optsWithGlobals<{ json?: boolean }>().json === true
}
