/**
 * A telephone number in canonical form. `e164` is the only spelling that is ever hashed,
 * indexed or encrypted, so every written form of one number maps to one identity.
 */
export interface Phone {
  /** Canonical E.164, e.g. `+13052000002`. */
  readonly e164: string
  /** ISO 3166-1 alpha-2 country when known from the number itself (`US`, `CA`, `GB`, …); NANP numbers outside US/CA carry their member's code; `null` for non-geographic NANP NPAs. */
  readonly country: string | null
  /** Country calling code without `+` (`1`, `44`, …). */
  readonly callingCode: string
  /** National significant number as digits (NANP: 10 digits; UK: 9–10 digits). */
  readonly national: string
  /** NANP only: area code (NPA) as a number, else `null`. */
  readonly npa: number | null
  /** NANP only: central-office code (NXX) as a number, else `null`. */
  readonly nxx: number | null
}

export type NormalizeResult =
  | { readonly ok: true; readonly phone: Phone }
  | { readonly ok: false; readonly reason: string }
