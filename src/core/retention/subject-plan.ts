import { DAY, addMonthsUtc, type Instant } from '../time/instant.js'
import { addPeriod, describePeriod } from './duration.js'
import { DEFAULT_DATA_SCHEMA, fieldKeep, purposePolicy, type DataSchema } from '../contacts/data-schema.js'
import { holdsCovering, type LegalHold } from './holds.js'
import type { ClassPolicy, RetentionPolicy } from './policy.js'
import type { RecordClass } from './record-class.js'
import type { GrantFact, RecordTable, SubjectFacts } from './retention-facts.js'

/** When one record may go (floor) and must go (due), and why. */
export interface RecordSchedule {
  readonly id: string
  readonly recordClass: RecordClass
  readonly table: RecordTable
  /** Earliest instant the law allows deletion (floors and dependents); never later than `dueAt`. */
  readonly floorAt: Instant
  /** When the purge deletes it (`Infinity`: not scheduled, e.g. a consent still in force). */
  readonly dueAt: Instant
  /** Why `dueAt` is what it is, in words. */
  readonly why: string
}

/** A suppression entry a purged request leaves behind. */
export interface SuppressionToKeep {
  readonly sellerKey: string | null
  readonly at: Instant
  readonly origin: 'request' | 'revocation'
}

/** A field of a contact record, as its schedule entry names it (`<contact id>/<field>`). */
export function contactFieldId(contactId: string, field: string): string {
  return `${contactId}/${field}`
}

/** What to do with one subject at `now`. */
export interface SubjectPlan {
  readonly subjectId: string
  readonly bidx: string
  /** Every record with its schedule (the subject itself last). */
  readonly schedule: readonly RecordSchedule[]
  /** Active holds covering the subject (then nothing is due). */
  readonly holds: readonly LegalHold[]
  /** Records to delete now. */
  readonly due: readonly RecordSchedule[]
  /** Whether the subject itself (number + data key) goes now: all its records go. */
  readonly subjectDue: boolean
  /** Suppression entries to write for due requests and revocations. */
  readonly suppressions: readonly SuppressionToKeep[]
  /** Fields to remove from contact records that stay (contact id → field names). */
  readonly contactFieldsDue: ReadonlyMap<string, readonly string[]>
}

const NEVER = Number.POSITIVE_INFINITY

function floorsOf(c: ClassPolicy, anchors: { creation: Instant; lastReliance?: Instant; supersession?: Instant }): Instant {
  let t = Number.NEGATIVE_INFINITY
  for (const f of c.floors) {
    const a = f.anchor === 'creation' ? anchors.creation : f.anchor === 'last-reliance' ? anchors.lastReliance : f.anchor === 'supersession' ? anchors.supersession : undefined
    if (a === undefined) continue
    t = Math.max(t, addPeriod(a, f.period))
  }
  return t
}

function ceilingAt(c: ClassPolicy, anchor: Instant): Instant {
  return c.ceiling === null || !Number.isFinite(anchor) ? NEVER : addPeriod(anchor, c.ceiling)
}

/** When a consent ends: revocation, reassigned-number result, EBR expiry, or erasure request; `Infinity` while in force. */
export function consentEnd(s: SubjectFacts, g: GrantFact): Instant {
  let end = NEVER
  for (const r of s.revocations) if ((r.sellerKey === null || r.sellerKey === g.sellerKey) && r.at >= g.at) end = Math.min(end, r.at)
  for (const k of s.reassigned) if (k.result === 'yes' && g.at < k.date + DAY) end = Math.min(end, Math.max(g.at, k.queriedAt))
  if (g.kind === 'ebr-purchase') end = Math.min(end, addMonthsUtc(g.at, 18))
  if (g.kind === 'ebr-inquiry') end = Math.min(end, addMonthsUtc(g.at, 6))
  if (s.erasureAt !== null && s.erasureAt >= g.at) end = Math.min(end, s.erasureAt)
  return end
}

/** The last call relying on a consent: the seller's latest call at or after the grant (the grant itself when none). */
export function lastReliance(s: SubjectFacts, g: GrantFact): Instant {
  let t = g.at
  for (const c of s.calls) if (c.sellerKey === g.sellerKey && c.at >= g.at) t = Math.max(t, c.at)
  return t
}

/**
 * The retention schedule of one subject's records, and what is due at `now`. Pure: a function
 * of the subject's facts, the policy, the holds and the instant.
 *
 * Order of dependence: grants first; a revocation stays while any consent it ended stays, and a
 * reassigned-number result while any consent granted on or before its date stays (so the gate
 * never sees a consent without what ended it); the subject (number + key) goes with its last record.
 * An erasure request replaces every ceiling with the floor. Contact fields (lead data) are kept as
 * the data schema says for their purpose and field, counted from the value's last verification; a
 * field its purpose no longer allows (or of a purpose no longer declared) is due at once; a contact
 * record goes with its last field.
 */
export function planSubject(s: SubjectFacts, policy: RetentionPolicy, holds: readonly LegalHold[], now: Instant, schema: DataSchema = DEFAULT_DATA_SCHEMA): SubjectPlan {
  const erasing = s.erasureAt !== null
  const schedule: RecordSchedule[] = []
  const pick = (floorAt: Instant, ceiling: Instant, base: string): { dueAt: Instant; why: string } => {
    if (erasing) return { dueAt: floorAt, why: `erasure requested: kept only until the legal floor; ${base}` }
    if (ceiling === NEVER) return { dueAt: NEVER, why: base }
    return { dueAt: Math.max(floorAt, ceiling), why: base }
  }

  const grantDue = new Map<string, Instant>()
  const cp = policy['consent-evidence']
  for (const g of s.grants) {
    const end = consentEnd(s, g)
    const relied = lastReliance(s, g)
    const floorAt = floorsOf(cp, { creation: g.at, lastReliance: relied })
    const anchor = end === NEVER ? NEVER : Math.max(end, relied)
    const { dueAt, why } = pick(floorAt, ceilingAt(cp, anchor), end === NEVER ? 'consent in force: kept until it ends' : 'ceiling counted from the end of consent or the last call relying on it')
    grantDue.set(g.id, dueAt)
    schedule.push({ id: g.id, recordClass: 'consent-evidence', table: 'consent_events', floorAt, dueAt, why })
  }
  const dependentsDue = (match: (g: GrantFact) => boolean): Instant => {
    let t = Number.NEGATIVE_INFINITY
    for (const g of s.grants) if (match(g)) t = Math.max(t, grantDue.get(g.id) ?? NEVER)
    return t
  }

  const dp = policy['dnc-requests']
  for (const r of s.revocations) {
    const deps = dependentsDue((g) => (r.sellerKey === null || r.sellerKey === g.sellerKey) && g.at <= r.at)
    const floorAt = Math.max(floorsOf(dp, { creation: r.at }), deps)
    const p = pick(floorAt, ceilingAt(dp, r.at), 'ceiling counted from the revocation; kept while a consent it ended is kept')
    schedule.push({ id: r.id, recordClass: 'dnc-requests', table: 'consent_events', floorAt, dueAt: Math.max(p.dueAt, deps), why: p.why })
  }
  for (const d of s.dncEntries) {
    const floorAt = floorsOf(dp, { creation: d.at })
    const p = pick(floorAt, ceilingAt(dp, d.at), 'ceiling counted from the request')
    schedule.push({ id: d.id, recordClass: 'dnc-requests', table: 'dnc_entries', floorAt, dueAt: p.dueAt, why: p.why })
  }

  const rp = policy['reassigned-results']
  for (const k of s.reassigned) {
    const deps = dependentsDue((g) => g.at < k.date + DAY)
    const floorAt = Math.max(floorsOf(rp, { creation: k.queriedAt }), deps)
    const p = pick(floorAt, ceilingAt(rp, k.queriedAt), 'ceiling counted from the query; kept while a consent it bears on is kept')
    schedule.push({ id: k.id, recordClass: 'reassigned-results', table: 'reassigned_checks', floorAt, dueAt: Math.max(p.dueAt, deps), why: p.why })
  }

  const callp = policy['call-records']
  for (const c of s.calls) {
    const floorAt = floorsOf(callp, { creation: c.at })
    const p = pick(floorAt, ceilingAt(callp, c.at), 'ceiling counted from the call')
    schedule.push({ id: c.id, recordClass: 'call-records', table: 'calls', floorAt, dueAt: p.dueAt, why: p.why })
  }

  for (const c of s.contacts ?? []) {
    const purpose = purposePolicy(schema, c.purpose)
    let last = Number.NEGATIVE_INFINITY
    for (const [field, verifiedAt] of Object.entries(c.fields)) {
      const keep = fieldKeep(purpose, field)
      const dueAt = erasing || keep === null ? c.createdAt : addPeriod(verifiedAt, keep)
      const why = erasing
        ? 'erasure requested: no legal floor'
        : keep === null
          ? `purpose "${c.purpose}" does not allow the field (data schema)`
          : `kept ${describePeriod(keep)} after the value was last verified (data schema, purpose "${c.purpose}")`
      schedule.push({ id: contactFieldId(c.id, field), recordClass: 'contact-fields', table: 'contact_fields', floorAt: c.createdAt, dueAt, why })
      last = Math.max(last, dueAt)
    }
    const bare = erasing || purpose === null ? c.createdAt : addPeriod(c.verifiedAt, purpose.keep)
    const rowDue = Object.keys(c.fields).length > 0 ? last : bare
    schedule.push({ id: c.id, recordClass: 'contact-fields', table: 'contacts', floorAt: c.createdAt, dueAt: rowDue, why: 'the contact record goes with its last field' })
  }

  const pp = policy['contact-pii']
  let lastRecord = s.createdAt
  for (const r of schedule) lastRecord = Math.max(lastRecord, r.dueAt)
  const subjectFloor = schedule.reduce((t, r) => Math.max(t, r.dueAt), Number.NEGATIVE_INFINITY)
  const subjectDueAt = erasing ? Math.max(subjectFloor, s.createdAt) : Math.max(subjectFloor, ceilingAt(pp, lastRecord))
  schedule.push({ id: s.id, recordClass: 'contact-pii', table: 'subjects', floorAt: subjectFloor, dueAt: subjectDueAt, why: 'goes with the last record of the subject' })

  const target = {
    bidx: s.bidx,
    sellerKeys: new Set<string>([
      ...s.grants.map((g) => g.sellerKey),
      ...s.revocations.flatMap((r) => (r.sellerKey === null ? [] : [r.sellerKey])),
      ...s.dncEntries.flatMap((d) => (d.sellerKey === null ? [] : [d.sellerKey])),
      ...s.calls.map((c) => c.sellerKey),
    ]),
    campaignIds: new Set(s.calls.map((c) => c.campaignId)),
  }
  const held = holdsCovering(holds, target, now)
  const due = held.length > 0 ? [] : schedule.filter((r) => r.dueAt <= now)
  const subjectDue = due.some((r) => r.table === 'subjects')
  const dueIds = new Set(due.map((r) => r.id))
  const suppressions: SuppressionToKeep[] = [
    ...s.revocations.filter((r) => dueIds.has(r.id)).map((r) => ({ sellerKey: r.sellerKey, at: r.at, origin: 'revocation' as const })),
    ...s.dncEntries.filter((d) => dueIds.has(d.id)).map((d) => ({ sellerKey: d.sellerKey, at: d.at, origin: 'request' as const })),
  ]
  const contactFieldsDue = new Map<string, string[]>()
  for (const c of s.contacts ?? []) {
    if (dueIds.has(c.id)) continue
    const fields = Object.keys(c.fields).filter((f) => dueIds.has(contactFieldId(c.id, f)))
    if (fields.length > 0) contactFieldsDue.set(c.id, fields.sort())
  }
  return { subjectId: s.id, bidx: s.bidx, schedule, holds: held, due, subjectDue, suppressions, contactFieldsDue }
}
