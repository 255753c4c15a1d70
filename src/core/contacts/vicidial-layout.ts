/**
 * VICIdial's `standard` lead-file layout (bin/VICIDIAL_IN_new_leads_file.pl; the columns of
 * `vicidial_list`): pipe- or tab-delimited, no quoting, one lead a line, columns in this order;
 * anything after them (`multi-alt-entries`, or `rank` and `owner` in `stdrankowner`) is extra.
 */
export const VICIDIAL_LEAD_COLUMNS: readonly string[] = Object.freeze([
  'vendor_lead_code',
  'source_id',
  'list_id',
  'phone_code',
  'phone_number',
  'title',
  'first_name',
  'middle_initial',
  'last_name',
  'address1',
  'address2',
  'address3',
  'city',
  'state',
  'province',
  'postal_code',
  'country_code',
  'gender',
  'date_of_birth',
  'alt_phone',
  'email',
  'security_phrase',
  'comments',
  'called_count',
  'status',
  'entry_date',
])

/** Name given to the columns after the standard ones (the alternate-number entries and the like). */
export const VICIDIAL_EXTRA_COLUMN = 'multi_alt_entries'

/**
 * Which kept field fills a VICIdial column on export, where the names differ: the external id is
 * VICIdial's `vendor_lead_code`, the consent reference its `source_id` (so an agent can find the
 * proof), the ZIP its `postal_code`. Every other column is filled by a kept field of its own name.
 */
export const VICIDIAL_COLUMN_FIELD: Readonly<Record<string, string>> = Object.freeze({
  vendor_lead_code: 'external_id',
  source_id: 'consent_ref',
  postal_code: 'zip',
})

/**
 * Splits one line of a standard lead file into columns by name: tab-delimited when the line holds
 * a tab, else pipe-delimited. Columns past the standard 26 are joined (with the delimiter) into
 * `multi_alt_entries`. The telephone number is `phone_number` with `phone_code` (the country
 * calling code; `1` or empty for NANP) prefixed as `+<code>` when it is another country's.
 */
export function splitVicidialLine(line: string): { phone: string; columns: Record<string, string> } {
  const delimiter = line.includes('\t') ? '\t' : '|'
  const parts = line.split(delimiter)
  const columns: Record<string, string> = {}
  for (let i = 0; i < VICIDIAL_LEAD_COLUMNS.length && i < parts.length; i++) columns[VICIDIAL_LEAD_COLUMNS[i]!] = parts[i]!
  if (parts.length > VICIDIAL_LEAD_COLUMNS.length) columns[VICIDIAL_EXTRA_COLUMN] = parts.slice(VICIDIAL_LEAD_COLUMNS.length).join(delimiter)
  const code = (columns['phone_code'] ?? '').trim()
  const number = (columns['phone_number'] ?? '').trim()
  const phone = code === '' || code === '1' || number.startsWith('+') ? number : `+${code}${number}`
  return { phone, columns }
}

/** Whether a line is a header naming the standard columns (some exports add one). */
export function isVicidialHeader(line: string): boolean {
  const { columns } = splitVicidialLine(line)
  return (columns['phone_number'] ?? '').trim().toLowerCase() === 'phone_number'
}
