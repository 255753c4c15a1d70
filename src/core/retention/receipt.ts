import { utf8 } from '../audit/bytes.js'

/** Format tag of deletion receipts. */
export const RECEIPT_FORMAT = 'dialward.deletion-receipt/1'

/** The domain separator signed before a receipt's canonical JSON. */
export const RECEIPT_SIGNING_DOMAIN = 'dialward.deletion-receipt.v1\n'

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, numbers as JSON.stringify
 * prints them. Rejects values JSON cannot carry (undefined, functions, non-finite numbers).
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON cannot carry a non-finite number')
    return JSON.stringify(value)
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  throw new TypeError(`canonical JSON cannot carry a ${typeof value}`)
}

/** The bytes a receipt's signature covers: the domain line, then the canonical JSON of every field except `signature`. */
export function receiptSigningBytes(receipt: Record<string, unknown>): Uint8Array {
  const { signature: _omit, ...body } = receipt
  return utf8(RECEIPT_SIGNING_DOMAIN + canonicalJson(body))
}
