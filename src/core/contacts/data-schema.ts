import { describePeriod, type Period } from '../retention/duration.js'
import { fieldKey, PHONE_KEYS, VERIFIED_AT_KEYS } from './field-names.js'

/** One field a purpose may keep, and how long after its value was last verified. */
export interface FieldPolicy {
  /** The field's name as the schema spells it (`first_name`); exports use it as the column name. */
  readonly name: string
  readonly keep: Period
}

/** What one purpose may keep about a contact, for how long, and when its data counts as stale. */
export interface PurposePolicy {
  readonly name: string
  readonly description: string
  /** The fields kept, in the order lists are exported (the telephone number is always kept: it is the subject). */
  readonly fields: readonly FieldPolicy[]
  /** How long a contact row without fields is kept after its last verification. */
  readonly keep: Period
  /** Days after the last verification at which the gate answers `DATA_STALE` for campaigns of this purpose; `null`: never stale. */
  readonly staleAfterDays: number | null
}

/** The data schema: per purpose, the contact fields that may be kept, for how long, and the staleness policy. */
export interface DataSchema {
  readonly purposes: Readonly<Record<string, PurposePolicy>>
  /** How long quarantined rows (invalid numbers) are kept for review. */
  readonly quarantineKeep: Period
}

/** The result of validating a data-schema document: the schema, or every problem found. */
export type SchemaValidation = { readonly ok: true; readonly schema: DataSchema } | { readonly ok: false; readonly errors: readonly string[] }

/** The fields of the default schema: what a dialer needs, nothing more. */
const DIALER_FIELDS = ['first_name', 'last_name', 'state', 'zip', 'timezone', 'external_id', 'consent_ref'] as const
const TWO_YEARS: Period = { months: 24 }

const purpose = (name: string, description: string, staleAfterDays: number): PurposePolicy =>
  Object.freeze({ name, description, fields: Object.freeze(DIALER_FIELDS.map((f) => Object.freeze({ name: f, keep: TWO_YEARS }))), keep: TWO_YEARS, staleAfterDays })

/**
 * The default schema: for `marketing` and `informational` (the campaign purposes, which name their
 * data purpose by default) only what a dialer needs — name, state, ZIP, time-zone hint, external
 * id and consent reference besides the number — kept 24 months after the last verification;
 * marketing data is stale after 180 days, informational after 365; quarantined rows are kept 30 days.
 */
export const DEFAULT_DATA_SCHEMA: DataSchema = Object.freeze({
  purposes: Object.freeze({
    marketing: purpose('marketing', 'Telemarketing calls and texts to consenting customers', 180),
    informational: purpose('informational', 'Informational calls (orders, deliveries, accounts)', 365),
  }),
  quarantineKeep: { days: 30 },
})

const PURPOSE_NAME = /^[a-z][a-z0-9-]{0,62}$/
const FIELD_NAME = /^[a-z][a-z0-9_]{0,62}$/
const RESERVED = new Set([...PHONE_KEYS, ...VERIFIED_AT_KEYS])
const MAX_PERIOD_UNITS = 1200

/**
 * Validates a data-schema document (see docs/reference/data-schema.md), reporting every problem at
 * once, each naming its place (`purposes.marketing.fields[2].keep`):
 *
 * `{ "purposes": { "<purpose>": { "description"?, "fields": ["first_name", { "name": "email", "keep": { "months": 12 } }],
 *   "keep"?: { "months": 24 }, "staleAfter"?: { "days": 180 } | null } }, "quarantine"?: { "keep": { "days": 30 } } }`
 */
export function validateDataSchema(doc: unknown): SchemaValidation {
  const errors: string[] = []
  const obj = (v: unknown, where: string): Record<string, unknown> | null => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>
    errors.push(`${where}: must be an object`)
    return null
  }
  const onlyKeys = (o: Record<string, unknown>, where: string, allowed: readonly string[]): void => {
    for (const k of Object.keys(o)) if (!allowed.includes(k) && k !== '$comment') errors.push(`${where}: unknown key "${k}" (expected ${allowed.join(', ')})`)
  }
  const period = (v: unknown, where: string, fallback: Period): Period => {
    if (v === undefined) return fallback
    const p = parsePeriod(v)
    if (typeof p === 'string') {
      errors.push(`${where}: ${p}`)
      return fallback
    }
    return p
  }
  const root = obj(doc, 'schema')
  if (root === null) return { ok: false, errors }
  onlyKeys(root, 'schema', ['purposes', 'quarantine'])
  const purposes: Record<string, PurposePolicy> = {}
  const list = root['purposes'] === undefined ? (errors.push('schema: "purposes" is required'), null) : obj(root['purposes'], 'purposes')
  if (list !== null && Object.keys(list).length === 0) errors.push('purposes: declare at least one purpose')
  for (const [name, raw] of Object.entries(list ?? {})) {
    const where = `purposes.${name}`
    if (!PURPOSE_NAME.test(name)) errors.push(`${where}: a purpose name is lower-case letters, digits and "-", starting with a letter`)
    const p = obj(raw, where)
    if (p === null) continue
    onlyKeys(p, where, ['description', 'fields', 'keep', 'staleAfter'])
    const description = p['description'] === undefined ? '' : typeof p['description'] === 'string' ? p['description'] : (errors.push(`${where}.description: must be text`), '')
    const keep = period(p['keep'], `${where}.keep`, TWO_YEARS)
    let staleAfterDays: number | null = null
    const stale = p['staleAfter']
    if (stale !== undefined && stale !== null) {
      const s = parsePeriod(stale)
      if (typeof s === 'string') errors.push(`${where}.staleAfter: ${s}`)
      else if (!('days' in s)) errors.push(`${where}.staleAfter: give staleness in days ({"days": n})`)
      else if (s.days < 1) errors.push(`${where}.staleAfter: must be at least 1 day`)
      else staleAfterDays = s.days
    }
    const fields: FieldPolicy[] = []
    const seen = new Map<string, string>()
    const rawFields = p['fields']
    if (!Array.isArray(rawFields)) errors.push(`${where}.fields: must be a list of field names or {"name", "keep"} objects`)
    else
      rawFields.forEach((f, i) => {
        const at = `${where}.fields[${i}]`
        let fieldName: unknown = f
        let fieldKeep = keep
        if (typeof f === 'object' && f !== null && !Array.isArray(f)) {
          const fo = f as Record<string, unknown>
          onlyKeys(fo, at, ['name', 'keep'])
          fieldName = fo['name']
          fieldKeep = period(fo['keep'], `${at}.keep`, keep)
        }
        if (typeof fieldName !== 'string' || !FIELD_NAME.test(fieldName)) {
          errors.push(`${at}: a field name is lower-case letters, digits and "_", starting with a letter`)
          return
        }
        const key = fieldKey(fieldName)
        if (RESERVED.has(key)) {
          errors.push(`${at}: "${fieldName}" is not a kept field (the telephone number and the verification date are always recorded)`)
          return
        }
        const twin = seen.get(key)
        if (twin !== undefined) {
          errors.push(`${at}: "${fieldName}" is the same field as "${twin}" (names are compared ignoring case and punctuation)`)
          return
        }
        seen.set(key, fieldName)
        fields.push(Object.freeze({ name: fieldName, keep: fieldKeep }))
      })
    purposes[name] = Object.freeze({ name, description, fields: Object.freeze(fields), keep, staleAfterDays })
  }
  let quarantineKeep: Period = DEFAULT_DATA_SCHEMA.quarantineKeep
  if (root['quarantine'] !== undefined) {
    const q = obj(root['quarantine'], 'quarantine')
    if (q !== null) {
      onlyKeys(q, 'quarantine', ['keep'])
      quarantineKeep = period(q['keep'], 'quarantine.keep', quarantineKeep)
    }
  }
  if (errors.length > 0) return { ok: false, errors }
  return { ok: true, schema: Object.freeze({ purposes: Object.freeze(purposes), quarantineKeep }) }
}

/** A period from `{"years": n}`, `{"months": n}` or `{"days": n}`, or what is wrong with it. */
function parsePeriod(v: unknown): Period | string {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'must be {"years": n}, {"months": n} or {"days": n}'
  const entries = Object.entries(v)
  if (entries.length !== 1) return 'must have exactly one of years, months, days'
  const [unit, n] = entries[0]!
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_PERIOD_UNITS) return `${unit} must be a whole number from 0 to ${MAX_PERIOD_UNITS}`
  if (unit === 'years') return { months: 12 * n }
  if (unit === 'months') return { months: n }
  if (unit === 'days') return { days: n }
  return `unknown unit "${unit}" (expected years, months or days)`
}

/** The policy of a purpose, or `null` when the schema does not declare it. */
export function purposePolicy(schema: DataSchema, name: string): PurposePolicy | null {
  return Object.prototype.hasOwnProperty.call(schema.purposes, name) ? schema.purposes[name]! : null
}

/** How long a purpose keeps a field, or `null` when the purpose does not allow it. */
export function fieldKeep(policy: PurposePolicy | null, field: string): Period | null {
  return policy?.fields.find((f) => f.name === field)?.keep ?? null
}

/** The schema as plain JSON (for `contacts schema --json`, inventories and digests). */
export function describeDataSchema(schema: DataSchema): { purposes: Array<Record<string, unknown>>; quarantine: { keep: string } } {
  return {
    purposes: Object.values(schema.purposes).map((p) => ({
      purpose: p.name,
      description: p.description,
      fields: p.fields.map((f) => ({ name: f.name, keep: describePeriod(f.keep) })),
      keep: describePeriod(p.keep),
      staleAfterDays: p.staleAfterDays,
    })),
    quarantine: { keep: describePeriod(schema.quarantineKeep) },
  }
}
