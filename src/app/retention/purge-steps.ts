import type { LegalHold } from '../../core/retention/holds.js'
import { planSubject } from '../../core/retention/subject-plan.js'
import { decisionDue, quarantineDueAt, scheduleRegistryVersions } from '../../core/retention/global-plan.js'
import { subtractPeriod } from '../../core/retention/duration.js'
import { DAY } from '../../core/time/instant.js'
import { longestFloor, type RetentionPolicy } from '../../core/retention/policy.js'
import { SUPPRESSIONS_ADDED } from '../../store/repos/retention-runs.js'
import type { RequestContext } from '../context.js'
import { applySubjectPlan } from './apply-subject-plan.js'
import { decisionFact, decisionPages } from './decision-facts.js'
import type { RetentionDeps } from './deps.js'
import { crashPoint } from '../crash-points.js'
import { factPages, factsOf } from './subject-facts.js'
import { registryVersionFacts } from './registry-version-facts.js'

/** Subjects purged per transaction (each transaction stays short so checks keep being answered). */
const SUBJECTS_PER_BATCH = 20
/** Registry pages deleted per transaction (versions stored before migration 0006: 1,250 bytes a page). */
const PAGES_PER_BATCH = 1_000
/** Registry area blocks deleted per transaction (a block is up to 1.25 MB: a bounded transaction, ADR 0015). */
const BLOCKS_PER_BATCH = 16

/** One purge run's fixed inputs: its id, the instant it purges as of, the policy and the holds. */
export interface PurgeScope {
  readonly runId: string
  readonly at: number
  readonly policy: RetentionPolicy
  readonly holds: readonly LegalHold[]
}

/**
 * Purges the due records of subjects, 20 subjects per audited transaction (one entry per batch,
 * naming its subjects' blind indexes), each batch recording its counts in the run. Every batch re-plans its subjects inside the transaction from what is
 * stored then, so a batch repeated after a crash (or racing another writer) deletes only what is
 * still due.
 */
export async function purgeSubjects(d: RetentionDeps, ctx: RequestContext, p: PurgeScope): Promise<void> {
  const { repos } = d
  for await (const page of factPages(repos.subjectRecords, d.store.db)) {
    const dueIds = page.filter((f) => planSubject(f, p.policy, p.holds, p.at, d.dataSchema).due.length > 0).map((f) => f.id)
    for (let i = 0; i < dueIds.length; i += SUBJECTS_PER_BATCH) {
      const group = dueIds.slice(i, i + SUBJECTS_PER_BATCH)
      await d.uow.write(ctx, 'retention.purge.subjects', async (tx) => {
        const counts: Record<string, number> = {}
        const keys: string[] = []
        const subjects: string[] = []
        let erased = 0
        let suppressions = 0
        for (const f of await factsOf(repos.subjectRecords, tx.db, group)) {
          const plan = planSubject(f, p.policy, p.holds, p.at, d.dataSchema)
          if (plan.due.length === 0) continue
          const out = await applySubjectPlan(repos, tx.db, plan, tx.now)
          for (const [k, v] of Object.entries(out.counts)) counts[k] = (counts[k] ?? 0) + v
          keys.push(...out.keysDestroyed)
          suppressions += out.suppressionsAdded
          subjects.push(f.bidx)
          if (plan.subjectDue) erased++
        }
        if (subjects.length === 0) return { result: undefined, audit: null }
        for (const bidx of subjects) tx.changed('subjects', bidx)
        if (keys.length > 0) tx.changed('keys')
        const batch = suppressions > 0 ? { ...counts, [SUPPRESSIONS_ADDED]: suppressions } : counts
        if (keys.length > 0 || Object.keys(batch).length > 0) await repos.retentionRuns.recordBatch(tx.db, p.runId, batch, keys, tx.now)
        return {
          result: undefined,
          audit: {
            subject: null,
            data: { run: p.runId, subjects: subjects.join(','), records: JSON.stringify(counts), keysDestroyed: keys.join(','), subjectsErased: erased, suppressionEntriesAdded: suppressions },
          },
        }
      })
      crashPoint('retention.subjects-batch')
    }
  }
}

/** Purges decision-log rows past their ceiling (and not held), a page of up to 1,000 rows per audited transaction. */
export async function purgeDecisions(d: RetentionDeps, ctx: RequestContext, p: PurgeScope): Promise<void> {
  const { repos } = d
  const db = d.store.db
  const floor = longestFloor(p.policy['decision-log'])
  if (!floor) return
  const sellers = await repos.campaigns.sellers(db)
  const erasures = await repos.suppressions.erasures(db)
  for await (const rows of decisionPages(repos.decisions, db, subtractPeriod(p.at, floor.period))) {
    const due = rows.filter((r) => decisionDue(decisionFact(r, sellers), p.policy, p.holds, p.at, r.phone_bidx === null ? null : (erasures.get(r.phone_bidx) ?? null)))
    if (due.length === 0) continue
    await d.uow.write(ctx, 'retention.purge.decisions', async (tx) => {
      const n = await repos.decisions.deleteIds(tx.db, due.map((r) => r.id))
      if (n === 0) return { result: undefined, audit: null }
      await repos.retentionRuns.recordBatch(tx.db, p.runId, { 'decision-log': n }, [], tx.now)
      return { result: undefined, audit: { subject: null, data: { run: p.runId, records: n } } }
    })
    crashPoint('retention.decisions-batch')
  }
}

/**
 * Purges superseded registry versions past their ceiling (none while any legal hold is active):
 * the version's data key goes first, with the first chunk of pages (from then on no page of it can
 * be read), then the rest of its pages 1,000 (area blocks: 16) per audited transaction, then the version itself.
 */
export async function purgeRegistryVersions(d: RetentionDeps, ctx: RequestContext, p: PurgeScope): Promise<void> {
  const { repos } = d
  const versions = await repos.registries.versions(d.store.db)
  const { schedule, held } = scheduleRegistryVersions(registryVersionFacts(versions), p.policy, p.holds, p.at)
  if (held) return
  for (const s of schedule) {
    if (s.dueAt > p.at) continue
    const version = versions.find((v) => v.id === s.id)!
    const keyId = version.keyId
    const limit = version.layout === 'pages' ? PAGES_PER_BATCH : BLOCKS_PER_BATCH
    for (;;) {
      const done = await d.uow.write(ctx, 'retention.purge.registry-version', async (tx) => {
        const keyDestroyed = await repos.dataKeys.destroy(tx.db, keyId, tx.now)
        const pages = await repos.registries.deletePages(tx.db, s.id, limit)
        const last = pages < limit
        const versionDeleted = last && (await repos.registries.deleteVersion(tx.db, s.id))
        if (keyDestroyed) tx.changed('keys')
        if (pages > 0 || versionDeleted) tx.changed('registries')
        if (versionDeleted) await repos.retentionRuns.recordBatch(tx.db, p.runId, { 'registry-versions': 1 }, [keyId], tx.now)
        const changed = keyDestroyed || pages > 0 || versionDeleted
        return { result: last, audit: changed ? { subject: null, data: { run: p.runId, version: s.id, keyDestroyed: keyId, pages, versionDeleted } } : null }
      })
      crashPoint('retention.registry-batch')
      if (done) break
    }
  }
}

/** Disclosure texts deleted per transaction. */
const DISCLOSURES_PER_BATCH = 400

/** Deletes disclosure texts no consent event refers to any more, up to 400 per audited transaction. */
export async function purgeOrphanDisclosures(d: RetentionDeps, ctx: RequestContext, runId: string): Promise<void> {
  const { repos } = d
  for (;;) {
    const n = await d.uow.write(ctx, 'retention.purge.disclosures', async (tx) => {
      const n = await repos.disclosures.deleteUnreferenced(tx.db, DISCLOSURES_PER_BATCH)
      if (n === 0) return { result: 0, audit: null }
      await repos.retentionRuns.recordBatch(tx.db, runId, { 'disclosure-texts': n }, [], tx.now)
      return { result: n, audit: { subject: null, data: { run: runId, records: n } } }
    })
    if (n < DISCLOSURES_PER_BATCH) break
  }
  crashPoint('retention.disclosures')
}

/** Quarantined rows deleted per transaction. */
const QUARANTINE_PER_BATCH = 1_000

/**
 * Purges quarantined import rows past the data schema's quarantine period, up to 1,000 per
 * audited transaction; the data key of an import's quarantine is destroyed in the transaction
 * that deletes its last row (cryptographic erase of everything sealed under it).
 */
export async function purgeQuarantine(d: RetentionDeps, ctx: RequestContext, p: PurgeScope): Promise<void> {
  const { repos } = d
  const keep = d.dataSchema.quarantineKeep
  for (;;) {
    const candidates = await repos.quarantine.due(d.store.db, subtractPeriod(p.at, keep) + DAY, QUARANTINE_PER_BATCH * 2)
    const due = candidates.filter((c) => quarantineDueAt(c.created_at, keep, p.holds, p.at) <= p.at).slice(0, QUARANTINE_PER_BATCH)
    if (due.length === 0) return
    await d.uow.write(ctx, 'retention.purge.quarantine', async (tx) => {
      const n = await repos.quarantine.deleteIds(tx.db, due.map((c) => c.id))
      const keys: string[] = []
      for (const keyId of new Set(due.map((c) => c.key_id))) {
        if (!(await repos.quarantine.keyInUse(tx.db, keyId)) && (await repos.dataKeys.destroy(tx.db, keyId, tx.now))) keys.push(keyId)
      }
      if (n === 0 && keys.length === 0) return { result: undefined, audit: null }
      if (keys.length > 0) tx.changed('keys')
      await repos.retentionRuns.recordBatch(tx.db, p.runId, { 'contact-fields': n }, keys, tx.now)
      return { result: undefined, audit: { subject: null, data: { run: p.runId, quarantinedRows: n, keysDestroyed: keys.join(',') } } }
    })
    crashPoint('retention.quarantine-batch')
    if (due.length < QUARANTINE_PER_BATCH) return
  }
}
