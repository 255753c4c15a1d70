import { normalizePhone } from '../../core/phone/normalize.js'
import type { Phone } from '../../core/phone/phone.js'
import { parseDate, parseInstant, DAY } from '../../core/time/instant.js'
import { fieldSpellings, PHONE_KEYS, VERIFIED_AT_KEYS } from '../../core/contacts/field-names.js'
import { cleanFieldValue } from '../../core/contacts/field-values.js'
import type { PurposePolicy } from '../../core/contacts/data-schema.js'
import { DialwardError, invalidInput } from '../../core/errors.js'
import type { RawRecord } from '../files/record-rows.js'

/** A lead row ready to store: its number, when its values were verified, and only the kept fields. */
export interface ParsedLead {
  readonly kind: 'lead'
  readonly row: number
  readonly phone: Phone
  readonly verifiedAt: number
  readonly values: Readonly<Record<string, string>>
}

/** A row to quarantine: why (a code and a message that never repeats the input), the number as given, and only the kept fields. */
export interface QuarantinedLead {
  readonly kind: 'quarantine'
  readonly row: number
  readonly code: 'INVALID_NUMBER' | 'MISSING_NUMBER' | 'INVALID_VERIFIED_AT' | 'MALFORMED_ROW'
  readonly reason: string
  readonly phone: string | null
  readonly values: Readonly<Record<string, string>>
}

/** Longest number text kept in quarantine. */
const MAX_PHONE_TEXT = 100
const EARLIEST = Date.UTC(1970, 0, 1)

/**
 * Reads the rows of one lead file for one purpose: finds each row's number (the first of the
 * columns `phone`, `phone_number`, `number`, `mobile`, `cell`, `telephone`), its verification
 * instant (`verified_at`, else the import's), and keeps only the fields the purpose allows, under
 * the schema's names (a column matches a field by name, ignoring case and punctuation, or by a
 * well-known spelling: `postal_code` is `zip`). Every other column's values are dropped here —
 * never stored, not even in quarantine — and counted by the file's own column name. Values of
 * kept fields that are malformed (a state that is no state code) are refused and counted by
 * field. A row whose number is invalid or missing is quarantined with the reason.
 */
export class LeadParser {
  readonly #purpose: PurposePolicy
  readonly #defaultVerifiedAt: number
  readonly #latest: number
  /** Normalized column name → schema field. */
  readonly #fieldOf = new Map<string, string>()
  /** Values dropped per column (the file's spelling). */
  readonly dropped = new Map<string, number>()
  /** Values refused per kept field. */
  readonly rejected = new Map<string, number>()
  #checked = false

  constructor(purpose: PurposePolicy, defaultVerifiedAt: number, now: number) {
    this.#purpose = purpose
    this.#defaultVerifiedAt = defaultVerifiedAt
    this.#latest = now + DAY
    for (const f of purpose.fields) for (const k of fieldSpellings(f.name)) if (!this.#fieldOf.has(k)) this.#fieldOf.set(k, f.name)
  }

  /** One row: a lead to store or a row to quarantine. Refuses the whole file (before anything is stored) when its header shows it has no header or no number column. */
  parse(r: RawRecord): ParsedLead | QuarantinedLead {
    if (!this.#checked) {
      this.#checked = true
      if (r.names !== undefined) checkHeader(r.names)
    }
    if (r.problem !== undefined) return { kind: 'quarantine', row: r.row, code: 'MALFORMED_ROW', reason: `row ${r.problem}`, phone: null, values: {} }
    let phoneKey: string | null = null
    for (const k of PHONE_KEYS) {
      if (r.fields[k] !== undefined) {
        phoneKey = k
        break
      }
    }
    let verifiedText: string | undefined
    const values: Record<string, string> = {}
    for (const [key, raw] of Object.entries(r.fields)) {
      if (key === phoneKey) continue
      if (VERIFIED_AT_KEYS.includes(key)) {
        verifiedText ??= raw
        continue
      }
      const field = this.#fieldOf.get(key)
      if (field === undefined) {
        const name = r.names?.[key] ?? key
        this.dropped.set(name, (this.dropped.get(name) ?? 0) + 1)
        continue
      }
      if (values[field] !== undefined) continue
      const cleaned = cleanFieldValue(field, raw)
      if (cleaned === null) continue
      if (!cleaned.ok) {
        this.rejected.set(field, (this.rejected.get(field) ?? 0) + 1)
        continue
      }
      values[field] = cleaned.value
    }
    const phoneText = phoneKey === null ? null : r.fields[phoneKey]!.trim().slice(0, MAX_PHONE_TEXT)
    const quarantine = (code: QuarantinedLead['code'], reason: string): QuarantinedLead => ({ kind: 'quarantine', row: r.row, code, reason, phone: phoneText, values })
    if (phoneText === null || phoneText === '') return quarantine('MISSING_NUMBER', 'the row has no telephone number')
    const normalized = normalizePhone(phoneText)
    if (!normalized.ok) return quarantine('INVALID_NUMBER', `not a valid telephone number (${normalized.reason})`)
    let verifiedAt = this.#defaultVerifiedAt
    if (verifiedText !== undefined && verifiedText.trim() !== '') {
      const t = parseInstant(verifiedText.trim()) ?? parseDate(verifiedText.trim())
      if (t === null || t < EARLIEST) return quarantine('INVALID_VERIFIED_AT', 'verified_at is not a valid ISO-8601 instant or date')
      if (t > this.#latest) return quarantine('INVALID_VERIFIED_AT', 'verified_at is in the future')
      verifiedAt = t
    }
    return { kind: 'lead', row: r.row, phone: normalized.phone, verifiedAt, values }
  }
}

/** A header without a number column, or that is itself a row of data, refuses the file (exit 2, nothing stored). */
function checkHeader(names: Readonly<Record<string, string>>): void {
  const keys = Object.keys(names)
  if (Object.values(names).some((n) => normalizePhone(n).ok)) {
    throw new DialwardError('INVALID_INPUT', 'the first row holds a telephone number: a header row naming the columns is required (or use --format vicidial)', 'file')
  }
  if (!keys.some((k) => PHONE_KEYS.includes(k))) throw invalidInput('file', `no telephone number column (name one ${PHONE_KEYS.join(', ')})`)
}
