import { DialwardError, invalidInput } from '../../core/errors.js'

const DEFAULT_NAMES = ['phone', 'phone_number', 'number']

/** Finds the phone column: the one named by `phoneColumn`, else the first header `phone`, `phone_number` or `number` (case-insensitive). */
export function findPhoneColumn(header: readonly string[], requested: string | null): number {
  const names = header.map((h) => h.trim().toLowerCase())
  if (requested !== null) {
    const i = names.indexOf(requested.trim().toLowerCase())
    if (i < 0) throw invalidInput('phoneColumn', `no column named "${requested}" in the header`)
    return i
  }
  const i = names.findIndex((n) => DEFAULT_NAMES.includes(n))
  if (i < 0) throw new DialwardError('INVALID_CSV', 'header has no phone, phone_number or number column (use --phone-column)', 'in')
  return i
}

/** Finds an optional named column (e.g. the consumer's state); `-1` when not requested. */
export function findOptionalColumn(header: readonly string[], requested: string | null, field: string): number {
  if (requested === null) return -1
  const i = header.map((h) => h.trim().toLowerCase()).indexOf(requested.trim().toLowerCase())
  if (i < 0) throw invalidInput(field, `no column named "${requested}" in the header`)
  return i
}
