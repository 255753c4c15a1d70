import { nanpNpaKind } from '../../core/phone/nanp.js'

/** Area codes the fast path accepts (assigned: geographic or non-geographic), as 0/1 by NPA. */
export const ASSIGNED_NPA: Uint8Array = (() => {
  const t = new Uint8Array(1000)
  for (let npa = 200; npa < 1000; npa++) if (npa % 100 !== 11 && nanpNpaKind(npa) !== 'unassigned') t[npa] = 1
  return t
})()

/**
 * The hand-written NANP normalizer of bulk scrubbing, over the bytes `buf[from…to)` of one CSV
 * field: the 10-digit national number as a JS number, or -1 when the fast path does not decide
 * (then the field is decoded and given to `normalizePhone`, the library path).
 *
 * It is `nanpDigitsToE164Fast` over bytes: ASCII digits; the separators space, tab, `(`, `)`,
 * `-`, `.`, `/`; one leading `+` that must be followed by country code 1, or a bare leading 1 on
 * 11 digits; an assigned area code and an exchange starting 2–9 that is not N11. Any other byte
 * (a letter, a non-ASCII digit, a quote) returns -1. Allocates nothing.
 */
export function nanpFromBytes(buf: Uint8Array, from: number, to: number): number {
  if (to - from > 40) return -1
  let v = 0
  let n = 0
  let plus = false
  for (let i = from; i < to; i++) {
    const c = buf[i]!
    const d = c - 48
    if (d >= 0 && d <= 9) {
      if (n === 11) return -1
      v = v * 10 + d
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
  const npa = (v / 10_000_000) | 0
  const nxx = ((v / 10_000) | 0) % 1000
  if (ASSIGNED_NPA[npa] !== 1 || nxx < 200 || nxx % 100 === 11) return -1
  return v
}
