import { holdActive, type LegalHold } from '../../core/retention/holds.js'
import { quarantineDueAt } from '../../core/retention/global-plan.js'
import { KeptSummary } from '../../core/retention/kept-summary.js'
import type { RetentionPolicy } from '../../core/retention/policy.js'
import { planSubject } from '../../core/retention/subject-plan.js'
import type { RunSummary } from '../../store/repos/retention-runs.js'
import type { RetentionDeps } from './deps.js'
import { factPages } from './subject-facts.js'

/**
 * What stays after a purge at `at`, and why (counts only). `pending` are counts a dry run would
 * delete but has not (they are not counted as kept).
 */
export async function keptNow(d: RetentionDeps, at: number, policy: RetentionPolicy, holds: readonly LegalHold[], pending: Record<string, number> = {}): Promise<RunSummary['kept']> {
  const { repos } = d
  const db = d.store.db
  const kept = new KeptSummary(policy, at)
  for await (const page of factPages(repos.subjectRecords, db)) {
    for (const f of page) {
      const plan = planSubject(f, policy, holds, at, d.dataSchema)
      kept.add(plan.holds.length > 0 ? plan.schedule : plan.schedule.filter((r) => r.dueAt > at), plan.holds.map((h) => h.id))
    }
  }
  const anyHold = holds.some((h) => holdActive(h, at))
  kept.addCount('decision-log', 'not yet due (ceiling counted from the instant decided) or under a legal hold', (await repos.decisions.count(db)) - (pending['decision-log'] ?? 0))
  kept.addCount('registry-versions', anyHold ? 'in force, not yet due, or kept by a legal hold' : 'in force or not yet due', (await repos.registries.versions(db)).length - (pending['registry-versions'] ?? 0))
  const quarantineKept = (await repos.quarantine.createdInstants(db)).filter((c) => quarantineDueAt(c, d.dataSchema.quarantineKeep, holds, at) > at).length
  kept.addCount('contact-fields', anyHold ? "quarantined import rows: the data schema's quarantine period has not ended, or a legal hold keeps them" : "quarantined import rows: the data schema's quarantine period has not ended", quarantineKept)
  kept.addCount('suppression-list', policy['suppression-list'].notes, await repos.suppressions.count(db))
  kept.addCount('audit-log', policy['audit-log'].notes, await repos.auditLog.size(db))
  return kept.lines()
}
