import type { Phone } from '../phone/phone.js'
import { safeCell, safeDelimitedCell } from './cell-safety.js'
import { VICIDIAL_COLUMN_FIELD, VICIDIAL_LEAD_COLUMNS } from './vicidial-layout.js'

/** The formats dialer lists are written in: CSV with a header, or VICIdial's standard layout (tab delimited, no header). */
export const LIST_FORMATS = ['csv', 'vicidial'] as const
export type ListFormat = (typeof LIST_FORMATS)[number]

/** A CSV cell: made safe for spreadsheets, quoted when it holds a comma, quote or line break. */
function csvCell(value: string): string {
  const v = safeCell(value)
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v
}

/** The header line of a contact list (CSV: `phone` then the purpose's fields in schema order; VICIdial: none). */
export function listHeader(format: ListFormat, fields: readonly string[]): string {
  return format === 'csv' ? `${['phone', ...fields].map(csvCell).join(',')}\n` : ''
}

/**
 * One contact as a line of a dialer list. CSV: the E.164 number (the one column that starts with
 * `+`, generated, never copied from input), then each field's value made safe. VICIdial: the 26
 * standard columns, `phone_code` the country calling code and `phone_number` the national number
 * (digits), `vendor_lead_code` the external id, `source_id` the consent reference, `postal_code`
 * the ZIP, every other column the kept field of its name; values made safe and tab-free.
 */
export function listLine(format: ListFormat, phone: Phone, fields: readonly string[], values: Readonly<Record<string, string>>): string {
  if (format === 'csv') return `${[phone.e164, ...fields.map((f) => csvCell(values[f] ?? ''))].join(',')}\n`
  const cells = VICIDIAL_LEAD_COLUMNS.map((c) => {
    if (c === 'phone_code') return phone.callingCode
    if (c === 'phone_number') return phone.national
    const field = VICIDIAL_COLUMN_FIELD[c] ?? c
    return fields.includes(field) ? safeDelimitedCell(values[field] ?? '') : ''
  })
  return `${cells.join('\t')}\n`
}

/** The header line of a company do-not-call list (CSV only; VICIdial's DNC loader takes bare numbers). */
export function dncHeader(format: ListFormat): string {
  return format === 'csv' ? 'phone,seller,requested_at\n' : ''
}

/** One do-not-call entry: CSV `phone,seller,requested_at` (seller empty: every seller); VICIdial one national number (digits) a line. */
export function dncLine(format: ListFormat, phone: Phone, seller: string | null, requestedAt: string): string {
  return format === 'csv' ? `${phone.e164},${csvCell(seller ?? '')},${requestedAt}\n` : `${phone.national}\n`
}
