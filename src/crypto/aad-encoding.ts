const LONE_SURROGATE = /[\uD800-\uDFFF]/u

/** One component of associated data: text (encoded as UTF-8) or raw bytes. */
export type AadPart = string | Uint8Array

/**
 * Encodes AAD components unambiguously: each part is a 4-byte big-endian length followed by
 * its bytes. Plain concatenation would let `('ab', 'c')` and `('a', 'bc')` collide; with length
 * prefixes, two different part lists never give the same bytes.
 *
 * Throws a `TypeError` for a string holding a lone surrogate: UTF-8 encodes every lone
 * surrogate as U+FFFD, so two different strings would give the same AAD.
 */
export function encodeAad(parts: readonly AadPart[]): Buffer {
  let size = 0
  for (const p of parts) {
    if (typeof p !== 'string') size += 4 + p.length
    else if (LONE_SURROGATE.test(p)) throw new TypeError('AAD text must be well-formed Unicode (lone surrogate found)')
    else size += 4 + Buffer.byteLength(p, 'utf8')
  }
  const out = Buffer.allocUnsafe(size)
  let at = 0
  for (const p of parts) {
    let n: number
    if (typeof p === 'string') n = out.write(p, at + 4, 'utf8')
    else {
      out.set(p, at + 4)
      n = p.length
    }
    out.writeUInt32BE(n, at)
    at += 4 + n
  }
  return out
}
