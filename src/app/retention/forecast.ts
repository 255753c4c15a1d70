import { coverageFact } from '../../core/dnc/coverage.js'
import { formatInstant } from '../../core/time/instant.js'
import { planSubject } from '../../core/retention/subject-plan.js'
import { scheduleDecision, scheduleRegistryVersions } from '../../core/retention/global-plan.js'
import { holdsCoveringDecision } from '../../core/retention/holds.js'
import type { RetentionPolicy } from '../../core/retention/policy.js'
import type { App } from '../open-app.js'
import { loadHolds } from './holds-store.js'
import { loadSubjectFacts, subjectIdPage } from './retention-facts-store.js'

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
export async function forecast(app: App, policy: RetentionPolicy, at: number, until: number): Promise<Forecast> {
  const holds = await loadHolds(app.db)
  const buckets = new Map<string, number>()
  const held: Record<string, number> = {}
  const add = (dueAt: number, cls: string): void => {
    const k = `${formatInstant(Math.max(dueAt, at)).slice(0, 10)}\u0000${cls}`
    buckets.set(k, (buckets.get(k) ?? 0) + 1)
  }
  let after: string | null = null
  for (;;) {
    const ids = await subjectIdPage(app.db, after, 200)
    if (ids.length === 0) break
    after = ids[ids.length - 1]!
    for (const f of await loadSubjectFacts(app.db, ids)) {
      const plan = planSubject(f, policy, holds, at)
      for (const r of plan.schedule) {
        if (r.dueAt > until) continue
        if (plan.holds.length > 0) held[r.recordClass] = (held[r.recordClass] ?? 0) + 1
        else add(r.dueAt, r.recordClass)
      }
    }
  }
  const sellers = new Map((await app.db.selectFrom('campaigns').select(['id', 'seller_key']).execute()).map((c) => [c.id, c.seller_key]))
  for (const d of await app.db.selectFrom('decisions').select(['id', 'phone_bidx', 'campaign_id', 'at']).execute()) {
    const fact = { id: d.id, bidx: d.phone_bidx, campaignId: d.campaign_id, sellerKey: sellers.get(d.campaign_id) ?? null, at: d.at }
    const s = scheduleDecision(fact, policy, null)
    if (s.dueAt > until) continue
    if (holdsCoveringDecision(holds, fact, at).length > 0) held['decision-log'] = (held['decision-log'] ?? 0) + 1
    else add(s.dueAt, 'decision-log')
  }
  const versions = await app.db.selectFrom('registry_versions').select(['id', 'registry', 'as_of', 'coverage']).execute()
  const reg = scheduleRegistryVersions(versions.map((v) => ({ id: v.id, registry: v.registry, asOf: v.as_of, coverage: coverageFact(v.coverage) })), policy, holds, at)
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
