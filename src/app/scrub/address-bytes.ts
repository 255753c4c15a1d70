/**
 * The address columns of bulk scrubbing, read from a CSV field's bytes on the fast path (as
 * `nanp-bytes.ts` reads its phone field). Only the exact forms are read here; anything else (spaces,
 * other lengths, other bytes) goes to the slow path, which trims, validates and reports.
 */

/** State ids: 0 for no state, 1–676 for two letters. */
export const STATE_IDS = 677

/**
 * The id of a state field of exactly two ASCII letters (either case: `FL`, `fl`) in
 * `buf[from…to)`: 1–676; 0 for an empty field; -1 for anything else (spaces, other lengths,
 * other bytes), which the slow path reads and validates.
 */
export function stateId(buf: Uint8Array, from: number, to: number): number {
  if (to === from) return 0
  if (to - from !== 2) return -1
  const a = buf[from]! | 32
  const b = buf[from + 1]! | 32
  if (a < 97 || a > 122 || b < 97 || b > 122) return -1
  return (a - 97) * 26 + (b - 97) + 1
}

/** The two upper-case letters of a state id from {@link stateId} (1–676). */
export function stateCode(id: number): string {
  return String.fromCharCode(65 + (((id - 1) / 26) | 0), 65 + ((id - 1) % 26))
}

/**
 * Whether a ZIP field in `buf[from…to)` is empty or five ASCII digits, optionally `-` and four
 * more (what the slow path accepts, without its trimming): the fast path needs nothing else from
 * it, since a ZIP code adds no place.
 */
export function zipFieldOk(buf: Uint8Array, from: number, to: number): boolean {
  const len = to - from
  if (len === 0) return true
  if (len !== 5 && len !== 10) return false
  for (let i = 0; i < len; i++) {
    const c = buf[from + i]!
    if (i === 5 ? c !== 45 : c < 48 || c > 57) return false
  }
  return true
}
