/**
 * Instants are milliseconds since the Unix epoch (UTC). Core code never reads a clock:
 * every function that needs "now" takes it as an argument.
 */
export type Instant = number

export const MINUTE = 60_000
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}:?\d{2})$/

/**
 * Parses an ISO-8601 instant (`2026-12-01T20:00:00Z`, with `Z` or an offset) or a date
 * (`2026-12-01`, meaning 00:00 UTC). Returns `null` for anything else, including impossible
 * calendar dates such as `2026-02-30`.
 *
 * @example parseInstant('2026-12-01') === Date.UTC(2026, 11, 1)
 */
export function parseInstant(text: string): Instant | null {
  const s = text.trim()
  const d = DATE_ONLY.exec(s)
  if (d) return utcOrNull(+d[1]!, +d[2]!, +d[3]!, 0, 0, 0, 0)
  const m = INSTANT.exec(s)
  if (!m) return null
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0
  const base = utcOrNull(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, m[6] ? +m[6] : 0, ms)
  if (base === null) return null
  const zone = m[8]!
  if (zone === 'Z' || zone === 'z') return base
  const sign = zone.startsWith('-') ? -1 : 1
  const digits = zone.slice(1).replace(':', '')
  const offH = +digits.slice(0, 2)
  const offM = +digits.slice(2, 4)
  if (offH > 23 || offM > 59) return null
  return base - sign * (offH * 60 + offM) * MINUTE
}

/** Parses a calendar date `YYYY-MM-DD` to 00:00 UTC of that day; `null` when malformed. */
export function parseDate(text: string): Instant | null {
  const d = DATE_ONLY.exec(text.trim())
  return d ? utcOrNull(+d[1]!, +d[2]!, +d[3]!, 0, 0, 0, 0) : null
}

function utcOrNull(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): Instant | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null
  const t = Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59), ms)
  const check = new Date(t)
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null
  return t
}

/** Formats an instant as ISO-8601 UTC with millisecond precision dropped when zero. */
export function formatInstant(t: Instant): string {
  const iso = new Date(t).toISOString()
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso
}

/** Adds calendar months in UTC (used for EBR windows such as 18 months after a purchase). */
export function addMonthsUtc(t: Instant, months: number): Instant {
  const d = new Date(t)
  const targetMonth = d.getUTCMonth() + months
  const result = new Date(Date.UTC(d.getUTCFullYear(), targetMonth, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()))
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate()
  result.setUTCDate(Math.min(d.getUTCDate(), lastDay))
  return result.getTime()
}
