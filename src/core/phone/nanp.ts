/**
 * NANP (+1) fast path: area-code lookups and a hand-written, allocation-free parser for the
 * common ASCII spellings. `normalizePhone` (normalize.ts) handles everything else and agrees with
 * this module on every input this module accepts.
 */
import type { Phone } from './phone.js'
import { NANP_NON_GEOGRAPHIC, NANP_NPAS, NANP_PREFIX_ZONES } from './nanp-table.generated.js'

/** What an area code is: in the geographic table, non-geographic (toll-free, 5XX, …) or neither. */
export type NpaKind = 'geographic' | 'non-geographic' | 'unassigned'

/** One geographic area code as the data gives it. */
export interface NanpAreaCode {
  readonly npa: number
  /** ISO 3166-1 alpha-2 (`US`, `CA`, `JM`, …). US territories are `US`. */
  readonly country: string
  /** State/province codes; empty outside US/CA; several for 902/782 (NS, PE) and 867 (NT, NU, YT). */
  readonly regions: readonly string[]
  /** Every IANA zone a number of this NPA may be in (sorted superset). */
  readonly zones: readonly string[]
}

const KIND_UNASSIGNED = 0
const KIND_GEOGRAPHIC = 1
const KIND_NON_GEOGRAPHIC = 2

/** NPA (0–999) → kind code. Module-level typed array: the hot loop only indexes it. */
const npaKind = new Uint8Array(1000)
const areaCodes: (NanpAreaCode | undefined)[] = new Array<NanpAreaCode | undefined>(1000).fill(undefined)
for (const [npa, country, regions, zones] of NANP_NPAS) {
  npaKind[npa] = KIND_GEOGRAPHIC
  areaCodes[npa] = { npa, country, regions, zones }
}
for (const npa of NANP_NON_GEOGRAPHIC) npaKind[npa] = KIND_NON_GEOGRAPHIC

const prefixZones = new Map<string, readonly string[]>(NANP_PREFIX_ZONES)

/** Classifies an area code (0–999; anything else is `unassigned`). */
export function nanpNpaKind(npa: number): NpaKind {
  const k = Number.isInteger(npa) && npa >= 0 && npa < 1000 ? npaKind[npa] : KIND_UNASSIGNED
  return k === KIND_GEOGRAPHIC ? 'geographic' : k === KIND_NON_GEOGRAPHIC ? 'non-geographic' : 'unassigned'
}

/** The geographic area code's row, or `undefined` for non-geographic and unassigned NPAs. */
export function nanpAreaCode(npa: number): NanpAreaCode | undefined {
  return Number.isInteger(npa) && npa >= 0 && npa < 1000 ? areaCodes[npa] : undefined
}

/**
 * libphonenumber's NPA-NXX refinement for a number, longest prefix first (NPA + 3, 2, then 1 NXX
 * digits), or `undefined` when none matches. Always a subset of the NPA row's zones.
 */
export function nanpPrefixZones(npa: number, nxx: number): readonly string[] | undefined {
  const key = String(npa * 1000 + nxx)
  return prefixZones.get(key) ?? prefixZones.get(key.slice(0, 5)) ?? prefixZones.get(key.slice(0, 4))
}

/**
 * Why a 10-digit NANP number (NPA + NXX + 4 digits) is not valid, or `null` when it is.
 * NPA: first digit 2–9, not N11, and in the geographic or non-geographic table (so 37X, 96X, N9X
 * and other unassigned codes are rejected). NXX: first digit 2–9 and not N11. 555 is valid.
 */
export function nanpInvalidReason(npa: number, nxx: number): string | null {
  if (npa < 200) return 'area code cannot start with 0 or 1'
  if (npa % 100 === 11) return 'area code is an N11 service code'
  if (npaKind[npa] === KIND_UNASSIGNED) return 'area code is not assigned'
  if (nxx < 200) return 'exchange code cannot start with 0 or 1'
  if (nxx % 100 === 11) return 'exchange code is an N11 service code'
  return null
}

/**
 * Builds the `Phone` of a valid 10-digit NANP number given as a number (NPA ≥ 200, so no leading
 * zero). The caller must have checked `nanpInvalidReason`.
 */
export function nanpPhone(ten: number): Phone {
  const npa = Math.floor(ten / 10_000_000)
  const nxx = Math.floor(ten / 10_000) % 1000
  const national = String(ten)
  return {
    e164: `+1${national}`,
    country: areaCodes[npa]?.country ?? null,
    callingCode: '1',
    national,
    npa,
    nxx,
  }
}

/**
 * Hot-loop NANP parser: returns the 10-digit national number as a JS number, or -1.
 *
 * Accepts ASCII only: digits, the separators space, tab, `(`, `)`, `-`, `.`, `/`, an optional
 * leading `+` that must be followed by country code 1, or a bare leading 1 on 11 digits. The
 * NPA must be assigned (geographic or non-geographic), the NXX 2–9 first and not N11. Everything
 * else (`001`/`011` prefixes, non-ASCII digits, letters, other countries) returns -1: call
 * `normalizePhone` then. Allocates nothing. Whenever it returns a number, `normalizePhone`
 * returns the same number (`+1` + that number).
 */
export function nanpDigitsToE164Fast(s: string): number {
  const len = s.length
  if (len > 40) return -1
  let v = 0
  let n = 0
  let plus = false
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i)
    if (c >= 48 && c <= 57) {
      if (n === 11) return -1
      v = v * 10 + (c - 48)
      n++
    } else if (c === 32 || c === 45 || c === 40 || c === 41 || c === 46 || c === 47 || c === 9) {
      // separator
    } else if (c === 43 && n === 0 && !plus) {
      plus = true
    } else {
      return -1
    }
  }
  if (n === 11) {
    if (v < 10_000_000_000 || v >= 20_000_000_000) return -1
    v -= 10_000_000_000
  } else if (n !== 10 || plus) {
    return -1
  }
  const npa = Math.floor(v / 10_000_000)
  const nxx = Math.floor(v / 10_000) % 1000
  if (npa < 200 || npaKind[npa] === KIND_UNASSIGNED || nxx < 200 || nxx % 100 === 11) return -1
  return v
}
