import { formatInstant } from '../../core/time/instant.js'
import { planSubject } from '../../core/retention/subject-plan.js'
import { decisionDue, quarantineDueAt, scheduleRegistryVersions } from '../../core/retention/global-plan.js'
import type { RetentionDeps } from './deps.js'
import { decisionFact, decisionPages } from './decision-facts.js'
import { keptNow } from './kept-now.js'
import type { LoadedPolicy } from './policy-file.js'
import type { PurgeResult } from './purge-result.js'
import { factPages } from './subject-facts.js'
import { registryVersionFacts } from './registry-version-facts.js'

/** What a purge at `at` would delete, without deleting or recording anything. */
export async function dryRunPurge(d: RetentionDeps, at: number, loaded: LoadedPolicy): Promise<PurgeResult> {
  const { repos } = d
  const db = d.store.db
  const policy = loaded.policy
  const holds = await repos.legalHolds.all(db)
  const deleted: Record<string, number> = {}
  const count = (cls: string): void => void (deleted[cls] = (deleted[cls] ?? 0) + 1)
  let keys = 0
  let suppressions = 0
  for await (const page of factPages(repos.subjectRecords, db)) {
    for (const f of page) {
      const plan = planSubject(f, policy, holds, at, d.dataSchema)
      for (const r of plan.due) count(r.recordClass)
      if (plan.due.some((r) => r.table === 'consent_events' || r.table === 'dnc_entries' || r.table === 'subjects' || r.table === 'contacts' || r.table === 'contact_fields')) keys++
      suppressions += plan.suppressions.length
    }
  }
  const sellers = await repos.campaigns.sellers(db)
  const erasures = await repos.suppressions.erasures(db)
  for await (const rows of decisionPages(repos.decisions, db)) {
    for (const r of rows) if (decisionDue(decisionFact(r, sellers), policy, holds, at, r.phone_bidx === null ? null : (erasures.get(r.phone_bidx) ?? null))) count('decision-log')
  }
  for (const created of await repos.quarantine.createdInstants(db)) if (quarantineDueAt(created, d.dataSchema.quarantineKeep, holds, at) <= at) count('contact-fields')
  const versions = await repos.registries.versions(db)
  const reg = scheduleRegistryVersions(registryVersionFacts(versions), policy, holds, at)
  if (!reg.held) for (const s of reg.schedule) if (s.dueAt <= at) count('registry-versions')
  return {
    runId: null,
    at: formatInstant(at),
    dryRun: true,
    resumed: false,
    deleted,
    keysDestroyed: keys + (deleted['registry-versions'] ?? 0),
    suppressionEntriesAdded: suppressions,
    kept: await keptNow(d, at, policy, holds, deleted),
    receipt: null,
    physicalScrubComplete: null,
    completedEarlierRuns: [],
  }
}
