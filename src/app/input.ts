import { invalidInput } from '../core/errors.js'
import { DAY, HOUR, MINUTE, parseDate, parseInstant, type Instant } from '../core/time/instant.js'
import { normalizePhone } from '../core/phone/normalize.js'
import type { Phone } from '../core/phone/phone.js'
import { isValidRegionCode, type AddressHint } from '../core/phone/places.js'
import { nanpInvalidReason } from '../core/phone/nanp.js'

/**
 * Validators for user input, shared by the edges (CLI flags, HTTP fields). Each throws a usage
 * error naming the field in domain spelling (`phone`, `asOf`), which the edge renders its way;
 * none echoes a phone number.
 */

/** The earliest and latest instants Dialward accepts as input: 1970-01-01 and 2200-12-31. */
export const EARLIEST_INSTANT = Date.UTC(1970, 0, 1)
export const LATEST_INSTANT = Date.UTC(2200, 11, 31, 23, 59, 59, 999)

function inRange(field: string, t: Instant): Instant {
  if (t < EARLIEST_INSTANT || t > LATEST_INSTANT) throw invalidInput(field, 'must be between 1970-01-01 and 2200-12-31')
  return t
}

export function requireText(field: string, value: unknown, max = 500): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalidInput(field, 'is required')
  if (value.length > max) throw invalidInput(field, `is longer than ${max} characters`)
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(value)) throw invalidInput(field, 'contains control characters')
  return value
}

export function optionalText(field: string, value: unknown, max = 10_000): string | null {
  if (value === undefined || value === null) return null
  if (typeof value !== 'string') throw invalidInput(field, 'must be text')
  if (value.length > max) throw invalidInput(field, `is longer than ${max} characters`)
  return value
}

export function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T
  throw invalidInput(field, `must be one of ${allowed.join(', ')}`)
}

export function optionalOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[], fallback: T): T {
  return value === undefined || value === null ? fallback : oneOf(field, value, allowed)
}

export function requireInstant(field: string, value: unknown): Instant {
  if (typeof value !== 'string') throw invalidInput(field, 'is required (ISO-8601 instant or YYYY-MM-DD)')
  const t = parseInstant(value)
  if (t === null) throw invalidInput(field, 'is not a valid ISO-8601 instant or YYYY-MM-DD date')
  return inRange(field, t)
}

export function optionalInstant(field: string, value: unknown, fallback: Instant): Instant {
  return value === undefined || value === null ? fallback : requireInstant(field, value)
}

export function requireDate(field: string, value: unknown): Instant {
  if (typeof value !== 'string') throw invalidInput(field, 'is required (YYYY-MM-DD)')
  const t = parseDate(value) ?? parseInstant(value)
  if (t === null) throw invalidInput(field, 'is not a valid date (YYYY-MM-DD)')
  return inRange(field, t)
}

/** An optional instant: `undefined` when not given (the service then uses now). */
export function maybeInstant(field: string, value: unknown): Instant | undefined {
  return value === undefined || value === null ? undefined : requireInstant(field, value)
}

/** An optional trimmed one-line name (a seller): `null` when not given. */
export function optionalName(field: string, value: unknown, max = 200): string | null {
  return value === undefined || value === null ? null : requireText(field, value, max).trim()
}

/**
 * The consumer-address hints of `check` and `scrub`: a US state or Canadian province code
 * (`FL`, `on`) and a ZIP code (5 digits, optionally ZIP+4).
 */
export function addressHint(state: unknown, zip: unknown, fields: { state: string; zip: string } = { state: 'state', zip: 'zip' }): AddressHint & { state: string | null; zip: string | null } {
  let s: string | null = null
  if (state !== undefined && state !== null && state !== '') {
    if (typeof state !== 'string' || !isValidRegionCode(state.trim())) throw invalidInput(fields.state, 'must be a US state or Canadian province code such as FL or ON')
    s = state.trim().toUpperCase()
  }
  let z: string | null = null
  if (zip !== undefined && zip !== null && zip !== '') {
    if (typeof zip !== 'string' || !/^\d{5}(-\d{4})?$/.test(zip.trim())) throw invalidInput(fields.zip, 'must be a 5-digit ZIP code (optionally ZIP+4)')
    z = zip.trim()
  }
  return { state: s, zip: z }
}

export function requirePhone(field: string, value: unknown): Phone {
  if (typeof value !== 'string' || value.trim() === '') throw invalidInput(field, 'is required')
  const r = normalizePhone(value)
  if (!r.ok) throw invalidInput(field, `is not a valid telephone number (${r.reason})`)
  return r.phone
}

export function optionalNumber(field: string, value: unknown, min: number, max: number): number | null {
  if (value === undefined || value === null) return null
  const n = typeof value === 'number' ? value : Number(value)
  if (typeof value === 'string' && value.trim() === '') throw invalidInput(field, 'must be a number')
  if (!Number.isFinite(n) || n < min || n > max) throw invalidInput(field, `must be a number from ${min} to ${max}`)
  return n
}

/** An IP address (v4 or v6) as typed; validated loosely by shape. */
export function optionalIp(field: string, value: unknown): string | null {
  const v = optionalText(field, value, 64)
  if (v === null) return null
  const ipv4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/
  const ipv6 = /^[0-9a-fA-F:]+(%[\w.]+)?$/
  if (!ipv4.test(v) && !(v.includes(':') && ipv6.test(v))) throw invalidInput(field, 'is not an IPv4 or IPv6 address')
  return v
}

/** A whole number from `min` to `max` (e.g. a count of runs), or `null` when not given. */
export function optionalWholeNumber(field: string, value: unknown, min: number, max: number): number | null {
  const n = optionalNumber(field, value, min, max)
  if (n !== null && !Number.isInteger(n)) throw invalidInput(field, `must be a whole number from ${min} to ${max}`)
  return n
}

const INTERVAL_UNIT_MS = { m: MINUTE, h: HOUR, d: DAY } as const

/** An interval such as `30m`, `6h` or `30d` (a whole number of minutes, hours or days, at least one minute), in milliseconds. */
export function requireInterval(field: string, value: unknown): number {
  const m = typeof value === 'string' ? /^(\d{1,6})([mhd])$/.exec(value.trim()) : null
  if (!m) throw invalidInput(field, 'must be a whole number followed by m, h or d (e.g. 1d)')
  const ms = Number(m[1]) * INTERVAL_UNIT_MS[m[2] as keyof typeof INTERVAL_UNIT_MS]
  if (ms < MINUTE) throw invalidInput(field, 'must be at least 1m')
  return ms
}

/**
 * A list of NANP area codes (`305,786` — commas or spaces): each three digits, assigned and not
 * an N11 code (as `--phone` judges an area code); duplicates are dropped; ascending.
 */
export function areaCodeList(field: string, value: unknown): number[] {
  const text = requireText(field, value, 10_000)
  const out = new Set<number>()
  for (const part of text.split(/[\s,]+/).filter((p) => p !== '')) {
    if (!/^\d{3}$/.test(part)) throw invalidInput(field, `"${part.slice(0, 12)}" is not a 3-digit area code`)
    const why = nanpInvalidReason(Number(part), 200)
    if (why !== null) throw invalidInput(field, `${part}: ${why}`)
    out.add(Number(part))
  }
  if (out.size === 0) throw invalidInput(field, 'names no area code')
  return [...out].sort((a, b) => a - b)
}
