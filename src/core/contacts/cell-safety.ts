/** The characters that make a spreadsheet read a cell as a formula (or a DDE call) when they lead it. */
export const FORMULA_LEADS: readonly string[] = Object.freeze(['=', '+', '-', '@', '\t', '\r'])

/**
 * A cell made safe for spreadsheets (CSV formula injection, OWASP): a value that starts with
 * `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe, which spreadsheets
 * show as text and never evaluate. Every other value is returned unchanged. The telephone column
 * of an export (E.164, `+13052000001`) is written without this: it is generated, never copied
 * from input, and documented as the one column that starts with `+`.
 */
export function safeCell(value: string): string {
  return value.length > 0 && FORMULA_LEADS.includes(value[0]!) ? `'${value}` : value
}

/**
 * A value for a tab-delimited line (VICIdial's lead and DNC loaders): tabs, carriage returns and
 * line feeds inside it become spaces (they would split the row), then it is made safe as {@link safeCell}.
 */
export function safeDelimitedCell(value: string): string {
  return safeCell(value.replace(/[\t\r\n]/g, ' '))
}
