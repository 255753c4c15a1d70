import { formatInstant, type Instant } from '../../core/time/instant.js'
import { describePeriod } from '../../core/retention/duration.js'
import { planSubject } from '../../core/retention/subject-plan.js'
import { quarantineDueAt, scheduleDecision, scheduleRegistryVersions } from '../../core/retention/global-plan.js'
import { holdsCoveringDecision } from '../../core/retention/holds.js'
import { decisionFact, decisionPages } from './decision-facts.js'
import type { RetentionPolicy } from '../../core/retention/policy.js'
import { RECORD_CLASSES, type RecordClass } from '../../core/retention/record-class.js'
import type { RetentionDeps } from './deps.js'
import { factPages } from './subject-facts.js'

/** One category of personal data held. */
export interface InventoryCategory {
  readonly class: RecordClass
  /** What the records are (the policy's description). */
  readonly records: string
  readonly count: number
  /** How many numbers (data subjects) it concerns; `null` where records are not per number. */
  readonly subjects: number | null
  /** When the oldest record was made (or, for contact data, first stored); `null` when none or not known per record. */
  readonly oldest: string | null
  /** When the next of these records is due for deletion under the policy in force; `null`: none scheduled. */
  readonly nextDeletion: string | null
  /** Records with no deletion date yet (a consent in force, a legal hold, a class that is kept). */
  readonly notScheduled: number
  /** How long they are kept, in words (ceiling and trigger, or why they are kept). */
  readonly kept: string
}

/** One data purpose of the data schema and what it holds. */
export interface InventoryPurpose {
  readonly purpose: string
  readonly description: string
  readonly fields: Array<{ name: string; keep: string }>
  readonly contacts: number
  readonly oldest: string | null
  readonly leastRecentlyVerified: string | null
  readonly nextDeletion: string | null
  readonly staleAfterDays: number | null
}

/** `dialward inventory --json`: a starting point for a GDPR Art. 30 record or a CCPA disclosure. */
export interface Inventory {
  readonly at: string
  readonly policySha256: string
  readonly subjects: number
  readonly categories: InventoryCategory[]
  readonly purposes: InventoryPurpose[]
  readonly quarantine: { rows: number; oldest: string | null; nextDeletion: string | null; keep: string }
}

interface Tally {
  count: number
  subjects: number
  oldest: Instant
  next: Instant
  unscheduled: number
}

const iso = (t: Instant): string | null => (Number.isFinite(t) ? formatInstant(t) : null)

/**
 * The inventory of personal data held at `at`: per record class how many records about how many
 * numbers, the oldest, and when the next is due for deletion (the same plans a purge executes);
 * per data purpose the fields kept, how many contacts, the oldest and least recently verified,
 * and the next deletion; the quarantine. Counts and dates only: no PII, so the read is not audited.
 */
export async function inventory(d: RetentionDeps, policy: RetentionPolicy, policySha256: string, at: Instant): Promise<Inventory> {
  const { repos } = d
  const db = d.store.db
  const holds = await repos.legalHolds.all(db)
  const tally = new Map<RecordClass, Tally>(RECORD_CLASSES.map((c) => [c, { count: 0, subjects: 0, oldest: Infinity, next: Infinity, unscheduled: 0 }]))
  const purposeNext = new Map<string, Instant>()
  let subjects = 0
  for await (const page of factPages(repos.subjectRecords, db)) {
    for (const f of page) {
      subjects++
      const made = new Map<string, Instant>([[f.id, f.createdAt]])
      for (const g of f.grants) made.set(g.id, g.at)
      for (const r of f.revocations) made.set(r.id, r.at)
      for (const x of f.dncEntries) made.set(x.id, x.at)
      for (const x of f.calls) made.set(x.id, x.at)
      for (const x of f.reassigned) made.set(x.id, x.queriedAt)
      const purposeOf = new Map<string, string>()
      for (const c of f.contacts ?? []) {
        made.set(c.id, c.createdAt)
        purposeOf.set(c.id, c.purpose)
      }
      const plan = planSubject(f, policy, holds, at, d.dataSchema)
      const seen = new Set<RecordClass>()
      for (const r of plan.schedule) {
        if (r.table === 'contact_fields') continue
        const t = tally.get(r.recordClass)!
        t.count++
        if (!seen.has(r.recordClass)) {
          seen.add(r.recordClass)
          t.subjects++
        }
        t.oldest = Math.min(t.oldest, made.get(r.id) ?? Infinity)
        const due = plan.holds.length > 0 ? Infinity : r.dueAt
        if (Number.isFinite(due)) t.next = Math.min(t.next, Math.max(due, at))
        else t.unscheduled++
      }
      if (plan.holds.length > 0) continue
      for (const r of plan.schedule) {
        if (r.recordClass !== 'contact-fields' || !Number.isFinite(r.dueAt)) continue
        const purpose = purposeOf.get(r.id.split('/')[0]!)
        if (purpose !== undefined) purposeNext.set(purpose, Math.min(purposeNext.get(purpose) ?? Infinity, Math.max(r.dueAt, at)))
      }
    }
  }
  const decisions = tally.get('decision-log')!
  const sellers = await repos.campaigns.sellers(db)
  for await (const rows of decisionPages(repos.decisions, db)) {
    for (const row of rows) {
      const fact = decisionFact(row, sellers)
      decisions.count++
      decisions.oldest = Math.min(decisions.oldest, fact.at)
      const s = scheduleDecision(fact, policy, null)
      if (holdsCoveringDecision(holds, fact, at).length > 0 || !Number.isFinite(s.dueAt)) decisions.unscheduled++
      else decisions.next = Math.min(decisions.next, Math.max(s.dueAt, at))
    }
  }
  const suppressions = tally.get('suppression-list')!
  suppressions.count = await repos.suppressions.count(db)
  suppressions.unscheduled = suppressions.count
  const registries = tally.get('registry-versions')!
  const versions = await repos.registries.versions(db)
  registries.count = versions.length
  const reg = scheduleRegistryVersions(versions.map((v) => ({ id: v.id, registry: v.registry, asOf: v.asOf })), policy, holds, at)
  for (const v of versions) registries.oldest = Math.min(registries.oldest, v.asOf)
  for (const x of reg.schedule) {
    if (reg.held || !Number.isFinite(x.dueAt)) registries.unscheduled++
    else registries.next = Math.min(registries.next, Math.max(x.dueAt, at))
  }
  registries.unscheduled += Math.max(0, versions.length - reg.schedule.length)
  const perSubject = new Set<RecordClass>(['consent-evidence', 'dnc-requests', 'call-records', 'contact-pii', 'reassigned-results', 'contact-fields'])
  const categories: InventoryCategory[] = RECORD_CLASSES.filter((c) => c !== 'audit-log').map((c) => {
    const t = tally.get(c)!
    const p = policy[c]
    return {
      class: c,
      records: p.records,
      count: t.count,
      subjects: perSubject.has(c) ? t.subjects : null,
      oldest: iso(t.oldest),
      nextDeletion: iso(t.next),
      notScheduled: t.unscheduled,
      kept: p.ceiling === null ? p.notes : `${describePeriod(p.ceiling)} after ${p.trigger}${p.floors.length > 0 ? ` (legal floor ${p.floors.map((f) => `${describePeriod(f.period)}, ${f.source}`).join('; ')})` : ''}`,
    }
  })
  const summaries = new Map((await repos.contacts.summary(db)).map((s) => [s.purpose, s]))
  const purposes: InventoryPurpose[] = Object.values(d.dataSchema.purposes).map((p) => {
    const s = summaries.get(p.name)
    return {
      purpose: p.name,
      description: p.description,
      fields: p.fields.map((f) => ({ name: f.name, keep: describePeriod(f.keep) })),
      contacts: s?.contacts ?? 0,
      oldest: s?.oldest == null ? null : formatInstant(s.oldest),
      leastRecentlyVerified: s?.leastRecentlyVerified == null ? null : formatInstant(s.leastRecentlyVerified),
      nextDeletion: iso(purposeNext.get(p.name) ?? Infinity),
      staleAfterDays: p.staleAfterDays,
    }
  })
  // contact records of purposes the schema no longer declares: due at the next purge
  for (const [name, s] of summaries) {
    if (Object.prototype.hasOwnProperty.call(d.dataSchema.purposes, name)) continue
    purposes.push({ purpose: name, description: 'not declared in the data schema: deleted at the next purge', fields: [], contacts: s.contacts, oldest: s.oldest === null ? null : formatInstant(s.oldest), leastRecentlyVerified: s.leastRecentlyVerified === null ? null : formatInstant(s.leastRecentlyVerified), nextDeletion: iso(purposeNext.get(name) ?? Infinity), staleAfterDays: null })
  }
  const q = await repos.quarantine.summary(db)
  const qDue = q.oldest === null ? Infinity : quarantineDueAt(q.oldest, d.dataSchema.quarantineKeep, holds, at)
  return {
    at: formatInstant(at),
    policySha256,
    subjects,
    categories,
    purposes,
    quarantine: { rows: q.rows, oldest: q.oldest === null ? null : formatInstant(q.oldest), nextDeletion: iso(Number.isFinite(qDue) ? Math.max(qDue, at) : qDue), keep: describePeriod(d.dataSchema.quarantineKeep) },
  }
}
