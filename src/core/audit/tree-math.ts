/**
 * Integer helpers for Merkle tree sizes and indexes. Sizes go up to 2^53 - 1, so these use
 * arithmetic rather than 32-bit bitwise operators.
 */

/** True when `n` is a non-negative safe integer. */
export function isSize(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0
}

/** True when `n` is 2^k for some k ≥ 0. */
export function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false
  while (n % 2 === 0) n /= 2
  return n === 1
}

/** The largest power of two strictly less than `n` (RFC 9162's split point `k`); requires n ≥ 2. */
export function splitPoint(n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

/** log2 of a power of two. */
export function log2Exact(n: number): number {
  let l = 0
  while (n > 1) {
    n /= 2
    l++
  }
  return l
}

/** Number of one bits in a non-negative safe integer. */
export function popCount(n: number): number {
  let c = 0
  while (n > 0) {
    if (n % 2 === 1) c++
    n = Math.floor(n / 2)
  }
  return c
}
