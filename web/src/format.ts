/** Formatting shared by the pages: every instant in UTC, as the API and the audit log give it. */

/** `2026-12-01T18:00:00Z` → `2026-12-01 18:00 UTC`; a date stays a date; `null` → `—`. */
export function instant(iso: string | null | undefined): string {
  if (!iso) return '—'
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

/** The date part of an instant (`YYYY-MM-DD`). */
export function dateOf(iso: string): string {
  return new Date(iso).toISOString().slice(0, 10)
}

/** `1` → `1 record`, `2` → `2 records`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`
}

/** A percentage with up to two decimals. */
export function percent(x: number | null): string {
  return x === null ? '—' : `${x.toLocaleString('en-US', { maximumFractionDigits: 2 })}%`
}

/** A count with thousands separators. */
export function count(n: number): string {
  return n.toLocaleString('en-US')
}

/** An instant `days` whole days after `iso`, as ISO-8601. */
export function addDays(iso: string, days: number): string {
  return new Date(new Date(iso).getTime() + days * 86_400_000).toISOString()
}

/** A value for `<input type="datetime-local">` read as UTC (`2026-12-01T18:00`) → ISO-8601 with Z, or undefined when empty. */
export function utcInput(value: string): string | undefined {
  const v = value.trim()
  if (v === '') return undefined
  return /Z$|[+-]\d{2}:?\d{2}$/.test(v) ? v : `${v.length === 16 ? `${v}:00` : v}Z`
}
