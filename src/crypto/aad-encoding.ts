/** One component of associated data: text (encoded as UTF-8) or raw bytes. */
export type AadPart = string | Uint8Array

const LONE_SURROGATE = /[\uD800-\uDFFF]/u

/**
 * Encodes AAD components unambiguously: each part is a 4-byte big-endian length followed by
 * its bytes. Plain concatenation would let `('ab', 'c')` and `('a', 'bc')` collide; with length
 * prefixes, two different part lists never give the same bytes.
 *
 * Throws a `TypeError` for a string holding a lone surrogate: UTF-8 encodes every lone
 * surrogate as U+FFFD, so two different strings would give the same AAD.
 */
export function encodeAad(parts: readonly AadPart[]): Buffer {
  const encoded = parts.map((p) => {
    if (typeof p !== 'string') return Buffer.from(p)
    if (LONE_SURROGATE.test(p)) throw new TypeError('AAD text must be well-formed Unicode (lone surrogate found)')
    return Buffer.from(p, 'utf8')
  })
  const out = Buffer.allocUnsafe(encoded.reduce((n, b) => n + 4 + b.length, 0))
  let at = 0
  for (const b of encoded) {
    out.writeUInt32BE(b.length, at)
    b.copy(out, at + 4)
    at += 4 + b.length
  }
  return out
}
