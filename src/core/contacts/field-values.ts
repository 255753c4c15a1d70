import { isValidRegionCode } from '../phone/places.js'

/** Longest value kept for any field. */
export const MAX_VALUE_LENGTH = 1_000

/** A cleaned field value, or why it is refused (the reason never repeats the value). */
export type CleanedValue = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly reason: string }

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/
const US_ZIP = /^\d{5}(-\d{4})?$/
const CA_POSTAL = /^([A-Za-z]\d[A-Za-z]) ?(\d[A-Za-z]\d)$/
const zones = new Map<string, boolean>()

/** Whether a time-zone name is one the runtime's time-zone data knows (`America/New_York`). */
export function isTimeZone(name: string): boolean {
  let known = zones.get(name)
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: name })
      known = /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(name)
    } catch {
      known = false
    }
    if (zones.size < 10_000) zones.set(name, known)
  }
  return known
}

/**
 * Cleans one value of a kept field: trimmed (empty means absent, `null`), at most 1,000
 * characters, no control characters. The fields the gate reads are checked for what they mean:
 * `state` a US state or Canadian province code (upper-cased), `zip` a US ZIP (or ZIP+4) or a
 * Canadian postal code (`A1A 1A1`), `timezone` an IANA time-zone name.
 */
export function cleanFieldValue(field: string, raw: string): CleanedValue | null {
  const v = raw.trim()
  if (v === '') return null
  if (v.length > MAX_VALUE_LENGTH) return { ok: false, reason: `is longer than ${MAX_VALUE_LENGTH} characters` }
  if (CONTROL.test(v)) return { ok: false, reason: 'contains control characters' }
  switch (field) {
    case 'state': {
      const s = v.toUpperCase()
      return isValidRegionCode(s) ? { ok: true, value: s } : { ok: false, reason: 'is not a US state or Canadian province code' }
    }
    case 'zip': {
      if (US_ZIP.test(v)) return { ok: true, value: v }
      const ca = CA_POSTAL.exec(v)
      return ca ? { ok: true, value: `${ca[1]!.toUpperCase()} ${ca[2]!.toUpperCase()}` } : { ok: false, reason: 'is not a US ZIP code or a Canadian postal code' }
    }
    case 'timezone':
      return isTimeZone(v) ? { ok: true, value: v } : { ok: false, reason: 'is not an IANA time-zone name' }
    default:
      return { ok: true, value: v }
  }
}
