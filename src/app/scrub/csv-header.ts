import { DialwardError } from '../../core/errors.js'

const QUOTE = 34
const LF = 10
const CR = 13
const UTF8 = new TextDecoder('utf-8')

/** How a user's CSV file is written, as read from its header line; the output is written the same way. */
export interface CsvHeader {
  /** The header's fields (decoded, quotes removed). */
  readonly fields: readonly string[]
  /** `,`, `;` or tab, as a byte. */
  readonly delimiter: number
  /** Whether the file starts with a UTF-8 byte-order mark (kept in the output). */
  readonly bom: boolean
  /** Where the header row's bytes start and end (without its line ending). */
  readonly rowStart: number
  readonly rowEnd: number
  /** The header's line ending (`\r\n` or `\n`; `\n` when the file has one line without an ending). */
  readonly terminator: Uint8Array
  /** Offset of the first byte after the header. */
  readonly end: number
  /** Physical lines the header took (1 unless a quoted header field holds a line break). */
  readonly lines: number
}

/**
 * Reads the header row at the start of `buf`: skips a UTF-8 BOM, detects the delimiter (the most
 * frequent of `,` `;` tab outside quotes on the first line; `,` when none or tied with `,`), and
 * splits the row. Returns `null` when the row is not complete yet and more input may follow
 * (`final` false). Throws `INVALID_CSV` (field `in`) for a malformed or missing header.
 */
export function readHeader(buf: Uint8Array, final: boolean): CsvHeader | null {
  const bom = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf
  let start = bom ? 3 : 0
  let lines = 0
  // blank lines before the header are skipped, as empty lines are everywhere
  for (;;) {
    if (start < buf.length && buf[start] === LF) (start++, lines++)
    else if (start + 1 < buf.length && buf[start] === CR && buf[start + 1] === LF) (start += 2, lines++)
    else break
  }
  if (start >= buf.length) {
    if (!final) return null
    throw new DialwardError('INVALID_CSV', 'the file is empty (a header row is required)', 'in')
  }
  const delimiter = detectDelimiter(buf, start)
  const rec = splitRecord(buf, start, buf.length, delimiter, final)
  if (rec === null) return null
  if ('error' in rec) throw new DialwardError('INVALID_CSV', `row ${lines + 1}: ${rec.error}`, 'in')
  return { fields: rec.fields, delimiter, bom, rowStart: start, rowEnd: rec.rowEnd, terminator: rec.terminator, end: rec.end, lines: lines + rec.lines }
}

function detectDelimiter(buf: Uint8Array, start: number): number {
  let comma = 0
  let semi = 0
  let tab = 0
  let quoted = false
  for (let i = start; i < buf.length; i++) {
    const c = buf[i]!
    if (c === QUOTE) quoted = !quoted
    else if (!quoted) {
      if (c === LF) break
      if (c === 44) comma++
      else if (c === 59) semi++
      else if (c === 9) tab++
    }
  }
  if (semi > comma && semi >= tab) return 59
  if (tab > comma && tab > semi) return 9
  return 44
}

/** One record's fields, RFC 4180 (quoted fields, doubled quotes), decoded as UTF-8. */
export function splitRecord(
  buf: Uint8Array,
  from: number,
  to: number,
  delimiter: number,
  final: boolean,
): { fields: string[]; rowEnd: number; end: number; terminator: Uint8Array; lines: number } | { error: string } | null {
  const fields: string[] = []
  let i = from
  let lines = 0
  for (;;) {
    if (i < to && buf[i] === QUOTE) {
      let text = ''
      let k = i + 1
      for (;;) {
        let q = k
        while (q < to && buf[q] !== QUOTE) {
          if (buf[q] === LF) lines++
          q++
        }
        if (q >= to) return final ? { error: 'unbalanced quotes (a quoted field is never closed)' } : null
        text += UTF8.decode(buf.subarray(k, q))
        if (q + 1 < to && buf[q + 1] === QUOTE) {
          text += '"'
          k = q + 2
          continue
        }
        if (q + 1 >= to && !final) return null
        i = q + 1
        break
      }
      fields.push(text)
      const c = i < to ? buf[i]! : -1
      if (c === delimiter) {
        i++
        continue
      }
      if (c !== -1 && c !== LF && !(c === CR && i + 1 < to && buf[i + 1] === LF)) {
        if (c === CR && i + 1 >= to && !final) return null
        return { error: 'a character after a closing quote (quotes inside a field must be doubled)' }
      }
    } else {
      let k = i
      while (k < to && buf[k] !== delimiter && buf[k] !== LF) {
        if (buf[k] === QUOTE) return { error: 'a quote inside an unquoted field' }
        k++
      }
      if (k >= to && !final) return null
      let fe = k
      if (fe > i && buf[fe - 1] === CR && (k >= to || buf[k] === LF)) fe--
      fields.push(UTF8.decode(buf.subarray(i, fe)))
      i = k
      if (i < to && buf[i] === delimiter) {
        i++
        continue
      }
    }
    // end of the record: at a line feed, at the CR of a CRLF after a quoted field, or at the end
    if (i >= to) return { fields, rowEnd: to, end: to, terminator: new Uint8Array([LF]), lines }
    if (buf[i] === CR) return { fields, rowEnd: i, end: i + 2, terminator: new Uint8Array([CR, LF]), lines: lines + 1 }
    const crlf = i > from && buf[i - 1] === CR
    return { fields, rowEnd: crlf ? i - 1 : i, end: i + 1, terminator: crlf ? new Uint8Array([CR, LF]) : new Uint8Array([LF]), lines: lines + 1 }
  }
}
