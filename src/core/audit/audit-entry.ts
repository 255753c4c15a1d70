/**
 * One audit log entry and its canonical bytes (the Merkle leaf input).
 *
 * Entries hold no plaintext PII, because they outlive erasure: `subject` is a pseudonym (a keyed
 * blind index, hex) and `data` holds ids, codes, or per-subject ciphertext as base64. Shredding a
 * subject's key leaves every entry, and so the log, valid.
 */
import type { Instant } from '../time/instant.js'
import { utf8 } from './bytes.js'

/** A value allowed in `AuditEntry.data`. */
export type AuditValue = string | number | boolean | null

/** One entry of the tamper-evident audit log. */
export interface AuditEntry {
  /** Position in the log, starting at 0; equals the entry's Merkle leaf index. */
  readonly seq: number
  /** When the audited event happened (ms since the Unix epoch, UTC). */
  readonly at: Instant
  /** Who did it: an API key id, a user id, `system`, a job name. */
  readonly actor: string
  /** What was done, e.g. `consent.grant`, `pii.read`, `purge.run`. */
  readonly action: string
  /** Pseudonym of the data subject (lowercase hex blind index), or null. */
  readonly subject: string | null
  /** Further facts: ids, codes, counts, ciphertext as base64. Never plaintext PII. */
  readonly data: Readonly<Record<string, AuditValue>>
}

/** Version number written into the canonical bytes, so the format can evolve. */
export const AUDIT_ENTRY_FORMAT = 1

const SUBJECT = /^(?:[0-9a-f]{2}){1,64}$/
// With the `u` flag a well-formed surrogate pair is one code point; only lone halves match.
const LONE_SURROGATE = /\p{Cs}/u

function badText(s: unknown): boolean {
  return typeof s !== 'string' || LONE_SURROGATE.test(s)
}

/**
 * Lists what is wrong with `entry` (empty when valid): seq and at must be non-negative safe
 * integers, actor and action non-empty well-formed strings, subject null or 1–64 bytes of
 * lowercase hex, data a plain object of strings (well-formed UTF-16), finite numbers, booleans
 * and nulls.
 */
export function auditEntryProblems(entry: AuditEntry): string[] {
  const errors: string[] = []
  if (!Number.isSafeInteger(entry.seq) || entry.seq < 0) errors.push('seq must be a non-negative integer')
  if (!Number.isSafeInteger(entry.at) || entry.at < 0) errors.push('at must be a non-negative integer (ms)')
  if (badText(entry.actor) || entry.actor === '') errors.push('actor must be a non-empty string')
  if (badText(entry.action) || entry.action === '') errors.push('action must be a non-empty string')
  if (entry.subject !== null && (typeof entry.subject !== 'string' || !SUBJECT.test(entry.subject))) {
    errors.push('subject must be null or lowercase hex (a blind index)')
  }
  const data: unknown = entry.data
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    errors.push('data must be an object')
  } else {
    for (const [key, value] of Object.entries(data)) {
      if (badText(key)) errors.push(`data key ${JSON.stringify(key)} is not well-formed text`)
      const ok =
        value === null ||
        typeof value === 'boolean' ||
        (typeof value === 'number' && Number.isFinite(value)) ||
        (typeof value === 'string' && !badText(value))
      if (!ok) errors.push(`data.${key} must be a string, finite number, boolean or null`)
    }
  }
  return errors
}

function jsonValue(v: AuditValue): string {
  // JSON.stringify gives exactly the RFC 8785 (JCS) forms for these primitives.
  return JSON.stringify(v)
}

function jsonObject(entries: readonly (readonly [string, string])[]): string {
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${sorted.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`
}

/**
 * The canonical JSON text of an entry: RFC 8785 (JCS) style, i.e. no whitespace, object keys
 * sorted by UTF-16 code units, strings escaped as `JSON.stringify` does, numbers in ECMAScript
 * shortest form (`-0` becomes `0`). The top level carries `v` = AUDIT_ENTRY_FORMAT:
 *
 * `{"action":"consent.grant","actor":"key_1","at":1764619200000,"data":{"n":1},"seq":0,"subject":null,"v":1}`
 *
 * Only the six entry fields are read; any other property (such as a stored leaf hash) is ignored.
 *
 * @throws TypeError when the entry is invalid (see `auditEntryProblems`)
 */
export function canonicalEntryJson(entry: AuditEntry): string {
  const errors = auditEntryProblems(entry)
  if (errors.length > 0) throw new TypeError(`invalid audit entry: ${errors.join('; ')}`)
  const data = jsonObject(Object.entries(entry.data).map(([k, v]) => [k, jsonValue(v)] as const))
  return jsonObject([
    ['seq', jsonValue(entry.seq)],
    ['at', jsonValue(entry.at)],
    ['actor', jsonValue(entry.actor)],
    ['action', jsonValue(entry.action)],
    ['subject', jsonValue(entry.subject)],
    ['data', data],
    ['v', jsonValue(AUDIT_ENTRY_FORMAT)],
  ])
}

/**
 * The canonical bytes of an entry: UTF-8 of `canonicalEntryJson(entry)`. This is the Merkle leaf
 * input; the stored leaf hash is `leafHash(h, canonicalEntryBytes(entry))`.
 *
 * @throws TypeError when the entry is invalid (see `auditEntryProblems`)
 */
export function canonicalEntryBytes(entry: AuditEntry): Uint8Array {
  return utf8(canonicalEntryJson(entry))
}
