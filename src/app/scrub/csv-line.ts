/**
 * One RFC 4180 CSV line: a field is quoted when it holds a comma, a quote, CR or LF, or starts
 * or ends with a space; quotes inside are doubled. Values are written as given (scrub passes input
 * columns through unchanged; Dialward's own columns never start with `=`, `-` or `@`).
 */
export function csvLine(fields: readonly string[]): string {
  return `${csvFields(fields)}\n`
}

/** The fields of one CSV line, quoted as {@link csvLine} quotes them, without the line ending. */
export function csvFields(fields: readonly string[]): string {
  let out = ''
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!
    if (i > 0) out += ','
    out += /[",\r\n]|^\s|\s$/.test(f) ? `"${f.replace(/"/g, '""')}"` : f
  }
  return out
}
