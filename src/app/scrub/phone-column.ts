import { DialwardError, invalidInput } from '../../core/errors.js'

/**
 * Headers taken as the phone column when `--phone-column` is not given, after folding case and
 * treating spaces, `-` and `_` alike (`Phone Number`, `phone-number` and `PHONE_NUMBER` are one
 * name). The first column (left to right) whose header is one of these is used.
 */
export const PHONE_HEADERS: readonly string[] = [
  'phone',
  'phone_number',
  'number',
  'mobile',
  'mobile_number',
  'mobile_phone',
  'cell',
  'cell_phone',
  'cell_number',
  'telephone',
  'telephone_number',
  'tel',
]

/** A header as compared: trimmed, lower case, runs of spaces, `-` and `_` as one `_`. */
export function foldHeader(h: string): string {
  return h.trim().toLowerCase().replace(/[\s_-]+/g, '_')
}

/** Finds the phone column: the one named by `phoneColumn`, else the first header of {@link PHONE_HEADERS}. */
export function findPhoneColumn(header: readonly string[], requested: string | null): number {
  const names = header.map(foldHeader)
  if (requested !== null) {
    const i = names.indexOf(foldHeader(requested))
    if (i < 0) throw invalidInput('phoneColumn', `no column named "${requested}" in the header`)
    return i
  }
  const i = names.findIndex((n) => PHONE_HEADERS.includes(n))
  if (i < 0) throw new DialwardError('INVALID_CSV', 'header has no phone column (phone, phone_number, number, mobile, cell, telephone, …): use --phone-column', 'in')
  return i
}

/** Finds an optional named column (e.g. the consumer's state); `-1` when not requested. */
export function findOptionalColumn(header: readonly string[], requested: string | null, field: string): number {
  if (requested === null) return -1
  const i = header.map(foldHeader).indexOf(foldHeader(requested))
  if (i < 0) throw invalidInput(field, `no column named "${requested}" in the header`)
  return i
}
