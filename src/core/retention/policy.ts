import { DialwardError } from '../errors.js'
import { describePeriod, periodAtLeast, years, type Period } from './duration.js'
import { RECORD_CLASSES, isRecordClass, type RecordClass } from './record-class.js'

/** What starts a retention clock. */
export type Trigger =
  | 'creation'
  | 'last-reliance'
  | 'end-of-consent'
  | 'supersession'
  | 'end-of-relationship'
  | 'verification'
  | 'never'

/** A legal minimum: the record may not be deleted before `anchor + period`. */
export interface Floor {
  readonly period: Period
  readonly anchor: 'creation' | 'last-reliance' | 'supersession' | 'dependents'
  /** The rule, in words. */
  readonly rule: string
  /** Where it comes from (statute, regulation). */
  readonly source: string
}

/** The policy of one record class. */
export interface ClassPolicy {
  readonly recordClass: RecordClass
  /** What the class holds. */
  readonly records: string
  readonly floors: readonly Floor[]
  /**
   * The operator's maximum, counted from the trigger; `null` = no ceiling set here: kept (not
   * purgeable in this version), or, for contact fields, set per purpose and field by the data schema.
   */
  readonly ceiling: Period | null
  readonly trigger: Trigger
  /** What a purge does to a record of the class. */
  readonly action: 'delete' | 'delete-keep-suppression' | 'destroy-key-and-delete' | 'keep'
  readonly notes: string
}

/** The effective policy: one entry per class. */
export type RetentionPolicy = Readonly<Record<RecordClass, ClassPolicy>>

const TSR_CONSENT: Floor = { period: years(5), anchor: 'creation', rule: 'TSR consent records kept 5 years', source: '16 CFR 310.5(a)(8); 89 FR 26760' }
const TCPA_LIMITATION: Floor = {
  period: years(4),
  anchor: 'last-reliance',
  rule: 'evidence outlives the last call relying on it by the 4-year TCPA limitation period',
  source: '28 U.S.C. 1658(a)',
}

/** The default policy: floors from rules.md table (f); ceilings as short as the floors allow unless noted. */
export const DEFAULT_POLICY: RetentionPolicy = Object.freeze({
  'consent-evidence': {
    recordClass: 'consent-evidence',
    records: 'consent grants and EBRs with their evidence (disclosure text, source, IP, user agent)',
    floors: [TSR_CONSENT, TCPA_LIMITATION],
    ceiling: years(5),
    trigger: 'end-of-consent',
    action: 'delete',
    notes: 'the clock starts when the consent ends (revocation, reassigned number, EBR expiry, erasure request) or at the last call relying on it, whichever is later; a consent still in force is kept',
  },
  'dnc-requests': {
    recordClass: 'dnc-requests',
    records: 'revocations and company-specific do-not-call requests with their evidence (words, source, channel)',
    floors: [{ period: years(5), anchor: 'creation', rule: 'company do-not-call requests honored 5 years', source: '47 CFR 64.1200(d)(6)' }],
    ceiling: years(10),
    trigger: 'creation',
    action: 'delete-keep-suppression',
    notes: 'default ceiling 10 years covers Virginia (Va. Code 59.1-514); a minimal suppression entry (blind index, date, seller scope) replaces the record, so the number stays blocked; a revocation is also kept while any consent it ended is kept',
  },
  'call-records': {
    recordClass: 'call-records',
    records: 'call detail records (number, campaign, time, duration, disposition)',
    floors: [{ period: years(5), anchor: 'creation', rule: 'TSR call detail records kept 5 years', source: '16 CFR 310.5(a)(2); 89 FR 26760' }],
    ceiling: years(5),
    trigger: 'creation',
    action: 'delete',
    notes: 'the gate reads calls of the last 31 days only (frequency caps, abandonment rate)',
  },
  'decision-log': {
    recordClass: 'decision-log',
    records: 'pre-dial decisions (blind index, verdict, reasons, rule and registry versions)',
    floors: [
      { period: years(5), anchor: 'creation', rule: 'scrub records for the do-not-call safe harbor kept 5 years', source: '16 CFR 310.4(b)(3), 310.5' },
      { period: years(4), anchor: 'creation', rule: 'TCPA limitation period', source: '28 U.S.C. 1658(a)' },
    ],
    ceiling: years(5),
    trigger: 'creation',
    action: 'delete',
    notes: 'counted from the instant decided',
  },
  'contact-pii': {
    recordClass: 'contact-pii',
    records: "the subject: encrypted telephone number and the subject's data key",
    floors: [{ period: { days: 0 }, anchor: 'dependents', rule: 'kept while any record of the subject is kept (TSR consent records name the consenter and number)', source: '16 CFR 310.5(a)(8)' }],
    ceiling: { days: 0 },
    trigger: 'end-of-relationship',
    action: 'destroy-key-and-delete',
    notes: "the end of the relationship is when the subject's last record goes; then the data key is destroyed (cryptographic erase) and the row deleted",
  },
  'registry-versions': {
    recordClass: 'registry-versions',
    records: 'imported national/state do-not-call registry versions (encrypted pages and metadata)',
    floors: [{ period: years(5), anchor: 'supersession', rule: 'scrub records for the do-not-call safe harbor kept 5 years', source: '16 CFR 310.4(b)(3)(iv), 310.5' }],
    ceiling: years(5),
    trigger: 'supersession',
    action: 'destroy-key-and-delete',
    notes: 'counted from when a newer version of the same registry took over; the version in force is never purged; any legal hold keeps every version',
  },
  'reassigned-results': {
    recordClass: 'reassigned-results',
    records: 'Reassigned Numbers Database results',
    floors: [
      { period: years(5), anchor: 'creation', rule: 'kept like the consent proof it protects', source: '47 CFR 64.1200(m); 16 CFR 310.5(a)(8)' },
      { period: { days: 0 }, anchor: 'dependents', rule: 'kept while any consent granted on or before the query date is kept', source: '47 CFR 64.1200(m)' },
    ],
    ceiling: years(5),
    trigger: 'creation',
    action: 'delete',
    notes: 'counted from the query',
  },
  'suppression-list': {
    recordClass: 'suppression-list',
    records: 'minimal suppression entries (blind index, date, seller scope, origin) left by purged requests and erasures',
    floors: [{ period: years(5), anchor: 'creation', rule: 'company do-not-call requests honored 5 years; objection to direct marketing is absolute', source: '47 CFR 64.1200(d)(6); GDPR Art. 21(3)' }],
    ceiling: null,
    trigger: 'never',
    action: 'keep',
    notes: 'no telephone number, only its keyed blind index; kept so the gate keeps answering INTERNAL_DNC',
  },
  'audit-log': {
    recordClass: 'audit-log',
    records: 'the tamper-evident audit log (pseudonyms, ids, counts; no plaintext PII)',
    floors: [{ period: years(5), anchor: 'creation', rule: 'records of compliance kept 5 years', source: '16 CFR 310.5' }],
    ceiling: null,
    trigger: 'never',
    action: 'keep',
    notes: 'append-only Merkle log with signed checkpoints; deleting entries would break proofs, and it holds no plaintext PII',
  },
  'contact-fields': {
    recordClass: 'contact-fields',
    records: "lead data kept per purpose (name, state, ZIP, time-zone hint, external id, consent reference, other fields a purpose allows), sealed under the subject's key; quarantined import rows",
    floors: [],
    ceiling: null,
    trigger: 'verification',
    action: 'delete',
    notes:
      "kept per purpose and field as the data schema says (keep, counted from the value's last verification; set it in data-schema.json, not here); a field its purpose no longer allows goes at the next purge; a contact record goes with its last field; quarantined rows go after the schema's quarantine keep (default 30 days)",
  },
} satisfies Record<RecordClass, ClassPolicy>)

/** The longest floor of a class (the least its ceiling may be). */
export function longestFloor(c: ClassPolicy): Floor | null {
  let best: Floor | null = null
  for (const f of c.floors) if (!best || periodAtLeast(f.period, best.period)) best = f
  return best
}

/**
 * Applies an operator policy document to the defaults. The document is
 * `{ "ceilings": { "<class>": { "years": n } | { "months": n } | { "days": n } } }`. A ceiling
 * below a floor, a class without a ceiling, an unknown class or a malformed period fails,
 * naming the class and the rule (a usage error: the whole file is refused).
 */
export function applyPolicyDocument(doc: unknown, base: RetentionPolicy = DEFAULT_POLICY): RetentionPolicy {
  const fail = (msg: string): never => {
    throw new DialwardError('RETENTION_POLICY_INVALID', `retention policy: ${msg}`)
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return fail('must be a JSON object')
  for (const k of Object.keys(doc)) if (k !== 'ceilings' && k !== '$comment') fail(`unknown key "${k}" (expected "ceilings")`)
  const ceilings = (doc as Record<string, unknown>)['ceilings'] ?? {}
  if (typeof ceilings !== 'object' || ceilings === null || Array.isArray(ceilings)) return fail('"ceilings" must be an object')
  const out: Record<string, ClassPolicy> = { ...base }
  for (const [name, value] of Object.entries(ceilings)) {
    if (!isRecordClass(name)) fail(`unknown record class "${name}" (expected one of ${RECORD_CLASSES.join(', ')})`)
    const cls = base[name as RecordClass]
    if (cls.ceiling === null) fail(`${name} has no ceiling in this version (${cls.notes})`)
    const period = parsePeriod(value, (m) => fail(`${name}: ${m}`))
    for (const f of cls.floors) {
      if (!periodAtLeast(period, f.period)) {
        fail(`${name} ceiling ${describePeriod(period)} is below the legal floor of ${describePeriod(f.period)}: ${f.rule} (${f.source})`)
      }
    }
    out[name] = { ...cls, ceiling: period }
  }
  return Object.freeze(out) as RetentionPolicy
}

function parsePeriod(value: unknown, fail: (m: string) => never): Period {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('ceiling must be {"years": n}, {"months": n} or {"days": n}')
  const entries = Object.entries(value)
  if (entries.length !== 1) return fail('ceiling must have exactly one of years, months, days')
  const [unit, n] = entries[0]!
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 1200) return fail(`ceiling ${unit} must be a whole number from 0 to 1200`)
  if (unit === 'years') return { months: 12 * n }
  if (unit === 'months') return { months: n }
  if (unit === 'days') return { days: n }
  return fail(`unknown ceiling unit "${unit}" (expected years, months or days)`)
}

/** The policy as plain JSON rows (for `retention policy --json` and receipts). */
export function describePolicy(policy: RetentionPolicy): Array<Record<string, unknown>> {
  return RECORD_CLASSES.map((name) => {
    const c = policy[name]
    return {
      class: name,
      records: c.records,
      floors: c.floors.map((f) => ({ period: describePeriod(f.period), from: f.anchor, rule: f.rule, source: f.source })),
      ceiling: c.ceiling === null ? null : describePeriod(c.ceiling),
      trigger: c.trigger,
      action: c.action,
      notes: c.notes,
    }
  })
}
