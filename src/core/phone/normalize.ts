/**
 * Phone number normalization: any written form → canonical E.164 `Phone`, or a short reason.
 * NANP (+1) is parsed by hand (nanp.ts); other countries go through libphonenumber-js.
 */
import { parsePhoneNumberFromString, type PhoneNumber } from 'libphonenumber-js/max'
import { nanpDigitsToE164Fast, nanpInvalidReason, nanpPhone } from './nanp.js'
import type { NormalizeResult, Phone } from './phone.js'

/** Longest input considered; anything longer is rejected before any Unicode work. */
const MAX_INPUT_LENGTH = 64

const NON_ASCII = /[^\u0000-\u007f]/

/** Fewest digits of an E.164 number, country code included. */
const MIN_E164_DIGITS = 7

/** Digits and a leading-plus flag extracted from written text, or a reason it is not a number. */
type Cleaned = { readonly plus: boolean; readonly digits: string } | { readonly reason: string }

const fail = (reason: string): NormalizeResult => ({ ok: false, reason })
const ok = (phone: Phone): NormalizeResult => ({ ok: true, phone })

/**
 * Characters dropped silently (after NFKC): whitespace (incl. NBSP and the other Unicode spaces),
 * soft hyphen, zero-width characters, bidi controls, and the punctuation `()-./` plus Unicode
 * dashes (hyphen, non-breaking hyphen, figure dash, en/em dash, minus sign).
 */
function isIgnorable(c: number): boolean {
  if (c === 32 || c === 40 || c === 41 || c === 45 || c === 46 || c === 47) return true
  if (c >= 9 && c <= 13) return true
  if (c < 0x80) return false
  return (
    c === 0x00a0 || // no-break space (NFKC already maps it, kept for clarity)
    c === 0x00ad || // soft hyphen
    c === 0x061c || // Arabic letter mark
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) || // Unicode spaces
    (c >= 0x200b && c <= 0x200f) || // ZWSP, ZWNJ, ZWJ, LRM, RLM
    (c >= 0x2010 && c <= 0x2015) || // hyphens and dashes
    c === 0x2212 || // minus sign
    (c >= 0x2028 && c <= 0x202f) || // line/paragraph separators, LRE…RLO, narrow NBSP
    c === 0x205f ||
    (c >= 0x2060 && c <= 0x2064) || // word joiner, invisible operators
    (c >= 0x2066 && c <= 0x2069) || // LRI, RLI, FSI, PDI
    c === 0x3000 ||
    c === 0xfeff // BOM / zero-width no-break space
  )
}

/** ASCII digit value of `c` (ASCII, Arabic-Indic U+0660–0669, Eastern Arabic-Indic U+06F0–06F9), or -1. */
function digitValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48
  if (c >= 0x0660 && c <= 0x0669) return c - 0x0660
  if (c >= 0x06f0 && c <= 0x06f9) return c - 0x06f0
  return -1
}

/**
 * NFKC (full-width digits and `＋`), then keep digits, drop ignorable characters, allow one `+`
 * before the first digit; anything else (letters, `#`, `*`, `,`, a second `+`) is a rejection.
 */
function clean(input: string): Cleaned {
  if (input.length > MAX_INPUT_LENGTH) return { reason: 'too long to be a phone number' }
  const text = NON_ASCII.test(input) ? input.normalize('NFKC') : input
  let digits = ''
  let plus = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    const d = digitValue(c)
    if (d >= 0) digits += String.fromCharCode(48 + d)
    else if (c === 43 && digits === '' && !plus) plus = true
    else if (!isIgnorable(c)) {
      const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
      return { reason: letter ? 'contains letters' : 'contains characters other than digits and punctuation' }
    }
  }
  if (digits === '') return { reason: plus || text.trim() !== '' ? 'no digits' : 'empty' }
  return { plus, digits }
}

/** NANP from the 10 digits after the country code. */
function fromNanpTen(ten: string): NormalizeResult {
  if (ten.length < 10) return fail('too few digits for a NANP number')
  if (ten.length > 10) return fail('too many digits for a NANP number')
  const v = Number(ten)
  const reason = nanpInvalidReason(Math.floor(v / 10_000_000), Math.floor(v / 10_000) % 1000)
  return reason === null ? ok(nanpPhone(v)) : fail(reason)
}

/** Country of a libphonenumber result; for possible-but-not-valid numbers, the calling code's main country. */
function countryOf(p: PhoneNumber): string | null {
  if (p.country !== undefined) return p.country
  if (p.isNonGeographic()) return null
  return p.getPossibleCountries()[0] ?? null
}

/**
 * What a non-NANP number must be: `valid` (libphonenumber's metadata assigns it to a number range
 * of its country: CONTRACT "Non-NANP numbers", the gate and every `--phone`) or merely `possible`
 * (its length fits the country's plan: registry files, which may list ranges newer than the
 * metadata and only ever add blocks).
 */
type Strictness = 'valid' | 'possible'

/** Phone from a libphonenumber result that is valid (or possible) in its country's plan. */
function fromLibphonenumber(p: PhoneNumber | undefined, need: Strictness): NormalizeResult {
  if (p === undefined || !p.isPossible()) return fail('not a possible number')
  if (need === 'valid' && !p.isValid()) return fail('not a valid number in its country (not in any assigned range)')
  // The shortest numbers in service anywhere have 7 digits with their country code (Saint
  // Helena's +290 and four digits); libphonenumber calls some shorter ones "possible" by length
  // alone (+98 0000).
  if (p.number.length - 1 < MIN_E164_DIGITS) return fail('too few digits')
  return ok({
    e164: p.number,
    country: countryOf(p),
    callingCode: p.countryCallingCode,
    national: p.nationalNumber,
    npa: null,
    nxx: null,
  })
}

/** Digits after `+`, `00` or `011`: country code 1 is NANP, anything else goes to libphonenumber. */
function fromInternational(rest: string, need: Strictness = 'valid'): NormalizeResult {
  if (rest === '') return fail('no digits after the international prefix')
  if (rest.startsWith('1')) return fromNanpTen(rest.slice(1))
  if (rest.startsWith('0')) return fail('country code cannot start with 0')
  if (rest.length > 15) return fail('too many digits')
  return fromLibphonenumber(parsePhoneNumberFromString(`+${rest}`), need)
}

/**
 * Normalizes a written phone number to E.164.
 *
 * Accepted: ASCII, full-width (NFKC), Arabic-Indic and Eastern Arabic-Indic digits; spaces, NBSP,
 * zero-width and bidi control characters and the punctuation `()-./` are ignored. A number with
 * `+` and a country code, or the international prefixes `00`/`011`, may be of any country
 * (non-NANP numbers must be *valid* per libphonenumber-js "max" metadata, see below). Without a country
 * code the number is read in `defaultCountry`; only `'US'` (NANP: 10 digits, or 11 with a leading
 * 1) is supported. Non-NANP numbers must be *valid* per that metadata (in an assigned range, not
 * merely of a possible length: `+44 20 7946 000` is refused). UK national numbers (`0…`) are rejected here: use `normalizeUkNational`.
 * Never throws; the reason never contains the input.
 */
export function normalizePhone(input: string, defaultCountry: 'US' = 'US'): NormalizeResult {
  const fast = nanpDigitsToE164Fast(input)
  if (fast >= 0) return ok(nanpPhone(fast))
  const cleaned = clean(input)
  if ('reason' in cleaned) return fail(cleaned.reason)
  const { plus, digits } = cleaned
  if (plus) return fromInternational(digits)
  if (digits.startsWith('011')) return fromInternational(digits.slice(3))
  if (digits.startsWith('00')) return fromInternational(digits.slice(2))
  if (defaultCountry !== 'US') return fail('unsupported default country')
  if (digits.length === 11 && digits.startsWith('1')) return fromNanpTen(digits.slice(1))
  if (digits.length === 10) return fromNanpTen(digits)
  if (digits.startsWith('0')) return fail('national number with a leading 0 needs a country code')
  if (digits.length < 10) return fail('too few digits')
  if (digits.length === 11) return fail('11-digit number must start with country code 1')
  return fail('too many digits')
}

/**
 * Normalizes a number from a UK registry file (TPS): a UK national number (`01632960000`,
 * `020 7946 0000`), `00 44 …`, or E.164 `+44…`. The result must be a possible UK number (calling
 * code 44, which includes the Crown Dependencies): a registry may list ranges newer than the
 * metadata, and a listing only ever adds a block (the gate still calls such a number invalid).
 * Never throws.
 */
export function normalizeUkNational(input: string): NormalizeResult {
  const cleaned = clean(input)
  if ('reason' in cleaned) return fail(cleaned.reason)
  const { plus, digits } = cleaned
  let result: NormalizeResult
  if (plus) result = fromInternational(digits, 'possible')
  else if (digits.startsWith('00')) result = fromInternational(digits.slice(2), 'possible')
  else if (digits.startsWith('0')) {
    if (digits.length < 10 || digits.length > 11) return fail('wrong number of digits for a UK number')
    result = fromLibphonenumber(parsePhoneNumberFromString(digits, 'GB'), 'possible')
  } else return fail('UK national number must start with 0')
  if (result.ok && result.phone.callingCode !== '44') return fail('not a UK number')
  return result
}
