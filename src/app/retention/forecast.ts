import { formatInstant } from '../../core/time/instant.js'
import { planSubject } from '../../core/retention/subject-plan.js'
import { quarantineDueAt, scheduleDecision, scheduleRegistryVersions } from '../../core/retention/global-plan.js'
import { holdsCoveringDecision } from '../../core/retention/holds.js'
import type { RetentionPolicy } from '../../core/retention/policy.js'
import { decisionFact, decisionPages } from './decision-facts.js'
import type { RetentionDeps } from './deps.js'
import { factPages } from './subject-facts.js'
import { registryVersionFacts } from './registry-version-facts.js'

/** What `retention forecast` reports. */
export interface Forecast {
  readonly at: string
  readonly until: string
  /** Per UTC day and class: how many records the purge on or after that day deletes. */
  readonly items: Array<{ date: string; class: string; records: number }>
  /** Records that would be due by `until` but are kept by a legal hold. */
  readonly held: Record<string, number>
  readonly total: number
}

/**
 * Lists what will be deleted when, between `at` and `until`, assuming no new activity and the
 * holds as they are now (a new call or a revocation can move dates; holds stop them).
 */
export async function forecast(d: RetentionDeps, policy: RetentionPolicy, at: number, until: number): Promise<Forecast> {
  const { repos } = d
  const db = d.store.db
  const holds = await repos.legalHolds.all(db)
  const buckets = new Map<string, number>()
  const held: Record<string, number> = {}
  const add = (dueAt: number, cls: string): void => {
    const k = `${formatInstant(Math.max(dueAt, at)).slice(0, 10)}\u0000${cls}`
    buckets.set(k, (buckets.get(k) ?? 0) + 1)
  }
  for await (const page of factPages(repos.subjectRecords, db)) {
    for (const f of page) {
      const plan = planSubject(f, policy, holds, at, d.dataSchema)
      for (const r of plan.schedule) {
        if (r.dueAt > until) continue
        if (plan.holds.length > 0) held[r.recordClass] = (held[r.recordClass] ?? 0) + 1
        else add(r.dueAt, r.recordClass)
      }
    }
  }
  const sellers = await repos.campaigns.sellers(db)
  for await (const rows of decisionPages(repos.decisions, db)) {
    for (const row of rows) {
      const fact = decisionFact(row, sellers)
      const s = scheduleDecision(fact, policy, null)
      if (s.dueAt > until) continue
      if (holdsCoveringDecision(holds, fact, at).length > 0) held['decision-log'] = (held['decision-log'] ?? 0) + 1
      else add(s.dueAt, 'decision-log')
    }
  }
  for (const created of await repos.quarantine.createdInstants(db)) {
    const dueAt = quarantineDueAt(created, d.dataSchema.quarantineKeep, [], at)
    if (dueAt > until) continue
    if (quarantineDueAt(created, d.dataSchema.quarantineKeep, holds, at) === Number.POSITIVE_INFINITY) held['contact-fields'] = (held['contact-fields'] ?? 0) + 1
    else add(dueAt, 'contact-fields')
  }
  const versions = await repos.registries.versions(db)
  const reg = scheduleRegistryVersions(registryVersionFacts(versions), policy, holds, at)
  for (const s of reg.schedule) {
    if (s.dueAt > until) continue
    if (reg.held) held['registry-versions'] = (held['registry-versions'] ?? 0) + 1
    else add(s.dueAt, 'registry-versions')
  }
  const items = [...buckets.entries()]
    .map(([k, n]) => {
      const [date, cls] = k.split('\u0000') as [string, string]
      return { date, class: cls, records: n }
    })
    .sort((a, b) => (a.date === b.date ? a.class.localeCompare(b.class) : a.date.localeCompare(b.date)))
  return { at: formatInstant(at), until: formatInstant(until), items, held, total: items.reduce((t, i) => t + i.records, 0) }
}
