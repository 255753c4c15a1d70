/**
 * Small byte helpers for the audit log: hex and strict base64, equality, concatenation. Pure, no
 * `Buffer` (core must not depend on Node globals).
 */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const B64_INDEX = new Map<string, number>([...B64].map((c, i) => [c, i]))
const HEX = /^(?:[0-9a-f]{2})*$/

/** Lowercase hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += b.toString(16).padStart(2, '0')
  return s
}

/** Parses lowercase or uppercase hex of even length; `null` when malformed. */
export function fromHex(text: string): Uint8Array | null {
  const t = text.toLowerCase()
  if (!HEX.test(t)) return null
  const out = new Uint8Array(t.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(t.slice(2 * i, 2 * i + 2), 16)
  return out
}

/** Standard base64 (RFC 4648 §4) with `=` padding. */
export function toBase64(bytes: Uint8Array): string {
  let s = ''
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!
    const b = bytes[i + 1]
    const c = bytes[i + 2]
    s += B64[a >> 2]
    s += B64[((a & 3) << 4) | ((b ?? 0) >> 4)]
    s += b === undefined ? '=' : B64[((b & 15) << 2) | ((c ?? 0) >> 6)]
    s += c === undefined ? '=' : B64[c & 63]
  }
  return s
}

/**
 * Strict standard base64: padded, no whitespace, no URL alphabet, and canonical (the unused low
 * bits of the last symbol must be zero, so each byte string has exactly one accepted encoding).
 * Returns `null` for anything else.
 */
export function fromBase64(text: string): Uint8Array | null {
  if (text.length % 4 !== 0) return null
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0
  const out = new Uint8Array((text.length / 4) * 3 - pad)
  let o = 0
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length
    const v: number[] = []
    for (let j = 0; j < 4; j++) {
      const ch = text[i + j]!
      if (ch === '=') {
        if (!last || j < 4 - pad) return null
        v.push(0)
        continue
      }
      const n = B64_INDEX.get(ch)
      if (n === undefined) return null
      v.push(n)
    }
    const [a, b, c, d] = v as [number, number, number, number]
    const triple = (a << 18) | (b << 12) | (c << 6) | d
    if (last && pad === 2 && (b & 15) !== 0) return null
    if (last && pad === 1 && (c & 3) !== 0) return null
    out[o++] = (triple >> 16) & 255
    if (o < out.length) out[o++] = (triple >> 8) & 255
    if (o < out.length) out[o++] = triple & 255
  }
  return out
}

/** Byte-wise equality (not constant-time: use only on public values such as hashes). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** Concatenates byte arrays into a new array. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let n = 0
  for (const p of parts) n += p.length
  const out = new Uint8Array(n)
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

const encoder = new TextEncoder()

/** UTF-8 bytes of `text`. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text)
}
