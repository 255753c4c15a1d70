import type { JurisdictionRule } from './rule-pack.js'

/**
 * A short content hash (FNV-1a 32-bit, hex) of a pack's entries in canonical JSON (keys
 * sorted), so a version string built from it changes whenever the data changes.
 *
 * @example packFingerprint(DEFAULT_PACK.entries) // 'a1b2c3d4'
 */
export function packFingerprint(entries: readonly JurisdictionRule[]): string {
  const text = canonicalJson(entries)
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h.toString(16).padStart(8, '0')
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>
    const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort()
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`
  }
  return JSON.stringify(v)
}
