import { coverageFact } from '../../core/dnc/coverage.js'
import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../../store/schema.js'
import { writeTransaction } from '../../store/write-transaction.js'
import { formatInstant } from '../../core/time/instant.js'
import type { LegalHold } from '../../core/retention/holds.js'
import { holdActive } from '../../core/retention/holds.js'
import { planSubject, type SubjectPlan } from '../../core/retention/subject-plan.js'
import { decisionDue, scheduleRegistryVersions, type DecisionFact } from '../../core/retention/global-plan.js'
import { KeptSummary } from '../../core/retention/kept-summary.js'
import { subtractPeriod } from '../../core/retention/duration.js'
import { longestFloor, type RetentionPolicy } from '../../core/retention/policy.js'
import { appendAudit } from '../audit/audit-trail.js'
import type { App } from '../open-app.js'
import { applySubjectPlan } from './apply-subject-plan.js'
import { finishPendingRuns, finishRun, type FinishedRun, type StepHook } from './finish-run.js'
import { loadHolds } from './holds-store.js'
import type { LoadedPolicy } from './policy-file.js'
import { loadSubjectFacts, subjectIdPage } from './retention-facts-store.js'
import { batchTotals, recordBatch, type RunSummary } from './run-record.js'

/** Subjects read per page while looking for due work. */
const PAGE = 200
/** Subjects purged per transaction (each transaction stays short so checks keep being answered). */
const SUBJECTS_PER_BATCH = 20
/** Decision-log rows and registry pages deleted per transaction. */
const ROWS_PER_BATCH = 1_000

/** Options of a purge run. */
export interface PurgeOptions {
  readonly at: number
  readonly dryRun: boolean
  readonly policy: LoadedPolicy
  /** Called after every committed step (a test hook kills the process here). */
  readonly onStep?: StepHook
}

/** The result of `retention run`. */
export interface PurgeResult {
  readonly runId: string | null
  readonly at: string
  readonly dryRun: boolean
  readonly resumed: boolean
  readonly deleted: Record<string, number>
  readonly keysDestroyed: number
  readonly suppressionEntriesAdded: number
  readonly kept: RunSummary['kept']
  readonly receipt: string | null
  readonly physicalScrubComplete: boolean | null
  /** Earlier interrupted runs completed first. */
  readonly completedEarlierRuns: string[]
}

/**
 * Runs a purge at `at`: deletes exactly what is past its ceiling and not held, in small
 * transactions, each recording its progress, then audits, scrubs, checkpoints and writes a signed
 * receipt. An interrupted run (kill -9) is resumed by the next call: the work is re-planned from
 * what is still stored, so nothing is deleted twice or resurrected.
 */
export async function runPurge(app: App, opts: PurgeOptions): Promise<PurgeResult> {
  const step = opts.onStep ?? (() => {})
  if (opts.dryRun) return dryRun(app, opts)
  const earlier: string[] = []
  for (const f of await finishPendingRuns(app, step)) earlier.push(f.runId)
  const running = await app.db.selectFrom('retention_runs').selectAll().where('kind', '=', 'purge').where('status', '=', 'running').orderBy('started_at').execute()
  let finished: FinishedRun | null = null
  let resumed = false
  for (const r of running) {
    const f = await executePurge(app, r.id, r.at, opts.policy, step)
    if (r.at === opts.at && finished === null) {
      finished = f
      resumed = true
    } else earlier.push(f.runId)
  }
  if (!finished) {
    const id = `run_${randomUUID()}`
    await app.db.insertInto('retention_runs').values({ id, kind: 'purge', at: opts.at, status: 'running', subject: null, started_at: app.now(), finished_at: null, summary: null, audit_seq: null, receipt_path: null }).execute()
    finished = await executePurge(app, id, opts.at, opts.policy, step)
  }
  return {
    runId: finished.runId,
    at: finished.at,
    dryRun: false,
    resumed,
    deleted: finished.summary.records,
    keysDestroyed: finished.summary.keysDestroyed.length,
    suppressionEntriesAdded: finished.summary.suppressionEntriesAdded,
    kept: finished.summary.kept,
    receipt: finished.receipt,
    physicalScrubComplete: finished.scrubComplete,
    completedEarlierRuns: earlier,
  }
}

async function executePurge(app: App, runId: string, at: number, loaded: LoadedPolicy, step: StepHook): Promise<FinishedRun> {
  const policy = loaded.policy
  const holds = await loadHolds(app.db)
  await purgeSubjects(app, runId, at, policy, holds, step)
  await purgeDecisions(app, runId, at, policy, holds, step)
  await purgeRegistryVersions(app, runId, at, policy, holds, step)
  await purgeOrphanDisclosures(app, runId, step)

  const kept = await keptNow(app.db, at, policy, holds)
  const totals = await batchTotals(app.db, runId)
  const summary: RunSummary = { records: totals.records, keysDestroyed: totals.keysDestroyed, suppressionEntriesAdded: totals.suppressionEntriesAdded, kept, policySha256: loaded.sha256 }
  const now = app.now()
  await writeTransaction(app.db, app.dialect, async (trx) => {
    const run = await trx.selectFrom('retention_runs').select('status').where('id', '=', runId).executeTakeFirstOrThrow()
    if (run.status !== 'running') return
    const seq = await appendAudit(trx, app.dialect, app.config.actor, now, {
      action: 'retention.purge',
      subject: null,
      data: {
        run: runId,
        at: formatInstant(at),
        records: JSON.stringify(summary.records),
        keysDestroyed: summary.keysDestroyed.length,
        suppressionEntriesAdded: summary.suppressionEntriesAdded,
        batches: totals.batches,
        policySha256: loaded.sha256,
      },
    })
    await trx.updateTable('retention_runs').set({ status: 'audited', summary: JSON.stringify(summary), audit_seq: seq }).where('id', '=', runId).execute()
  })
  step('audited')
  return finishRun(app, runId, step)
}

async function purgeSubjects(app: App, runId: string, at: number, policy: RetentionPolicy, holds: readonly LegalHold[], step: StepHook): Promise<void> {
  let after: string | null = null
  for (;;) {
    const ids = await subjectIdPage(app.db, after, PAGE)
    if (ids.length === 0) return
    after = ids[ids.length - 1]!
    const facts = await loadSubjectFacts(app.db, ids)
    const dueIds = facts.filter((f) => planSubject(f, policy, holds, at).due.length > 0).map((f) => f.id)
    for (let i = 0; i < dueIds.length; i += SUBJECTS_PER_BATCH) {
      const group = dueIds.slice(i, i + SUBJECTS_PER_BATCH)
      await writeTransaction(app.db, app.dialect, async (trx) => {
        const now = app.now()
        const counts: Record<string, number> = {}
        const keys: string[] = []
        // re-plan inside the transaction from what is stored now: idempotent and safe against concurrent writes
        for (const f of await loadSubjectFacts(trx, group)) {
          const plan: SubjectPlan = planSubject(f, policy, holds, at)
          if (plan.due.length === 0) continue
          const out = await applySubjectPlan(app, trx, plan, now)
          for (const [k, v] of Object.entries(out.counts)) counts[k] = (counts[k] ?? 0) + v
          if (out.suppressionsAdded > 0) counts['suppression-entries-added'] = (counts['suppression-entries-added'] ?? 0) + out.suppressionsAdded
          keys.push(...out.keysDestroyed)
          await appendAudit(trx, app.dialect, app.config.actor, now, {
            action: 'retention.purge.subject',
            subject: f.bidx,
            data: { run: runId, records: JSON.stringify(out.counts), keysDestroyed: out.keysDestroyed.join(','), subjectErased: plan.subjectDue, suppressionEntriesAdded: out.suppressionsAdded },
          })
        }
        if (keys.length > 0 || Object.keys(counts).length > 0) await recordBatch(trx, runId, counts, keys, now)
      })
      step('subjects-batch')
    }
  }
}

async function campaignSellers(db: Kysely<Database>): Promise<Map<string, string>> {
  return new Map((await db.selectFrom('campaigns').select(['id', 'seller_key']).execute()).map((c) => [c.id, c.seller_key]))
}

async function erasuresByBidx(db: Kysely<Database>): Promise<Map<string, number>> {
  const m = new Map<string, number>()
  for (const s of await db.selectFrom('suppressions').select(['phone_bidx', 'at']).where('origin', '=', 'erasure').execute()) {
    m.set(s.phone_bidx, Math.min(m.get(s.phone_bidx) ?? s.at, s.at))
  }
  return m
}

async function purgeDecisions(app: App, runId: string, at: number, policy: RetentionPolicy, holds: readonly LegalHold[], step: StepHook): Promise<void> {
  const floor = longestFloor(policy['decision-log'])
  if (!floor) return
  const cutoff = subtractPeriod(at, floor.period)
  const sellers = await campaignSellers(app.db)
  const erasures = await erasuresByBidx(app.db)
  let cursor: { at: number; id: string } | null = null
  for (;;) {
    let q = app.db.selectFrom('decisions').select(['id', 'phone_bidx', 'campaign_id', 'at']).where('at', '<=', cutoff).orderBy('at').orderBy('id').limit(ROWS_PER_BATCH)
    if (cursor) {
      const c: { at: number; id: string } = cursor
      q = q.where((eb) => eb.or([eb('at', '>', c.at), eb.and([eb('at', '=', c.at), eb('id', '>', c.id)])]))
    }
    const rows = await q.execute()
    if (rows.length === 0) return
    const last = rows[rows.length - 1]!
    cursor = { at: last.at, id: last.id }
    const due = rows.filter((r) => {
      const d: DecisionFact = { id: r.id, bidx: r.phone_bidx, campaignId: r.campaign_id, sellerKey: sellers.get(r.campaign_id) ?? null, at: r.at }
      return decisionDue(d, policy, holds, at, r.phone_bidx === null ? null : (erasures.get(r.phone_bidx) ?? null))
    })
    if (due.length === 0) continue
    await writeTransaction(app.db, app.dialect, async (trx) => {
      const now = app.now()
      const ids = due.map((r) => r.id)
      let n = 0
      for (let i = 0; i < ids.length; i += 400) n += Number((await trx.deleteFrom('decisions').where('id', 'in', ids.slice(i, i + 400)).executeTakeFirst()).numDeletedRows)
      if (n === 0) return
      await appendAudit(trx, app.dialect, app.config.actor, now, { action: 'retention.purge.decisions', subject: null, data: { run: runId, records: n } })
      await recordBatch(trx, runId, { 'decision-log': n }, [], now)
    })
    step('decisions-batch')
  }
}

async function purgeRegistryVersions(app: App, runId: string, at: number, policy: RetentionPolicy, holds: readonly LegalHold[], step: StepHook): Promise<void> {
  const versions = await app.db.selectFrom('registry_versions').select(['id', 'registry', 'as_of', 'key_id', 'coverage']).execute()
  const { schedule, held } = scheduleRegistryVersions(versions.map((v) => ({ id: v.id, registry: v.registry, asOf: v.as_of, coverage: coverageFact(v.coverage) })), policy, holds, at)
  if (held) return
  for (const s of schedule) {
    if (s.dueAt > at) continue
    const keyId = versions.find((v) => v.id === s.id)!.key_id
    for (;;) {
      const done = await writeTransaction(app.db, app.dialect, async (trx) => {
        const now = app.now()
        // the key goes first, with the first chunk of pages: from then on no page of the version can be read
        await app.dataKeys.destroy(trx, keyId, now)
        const prefixes = (await trx.selectFrom('registry_pages').select('prefix').where('version_id', '=', s.id).limit(ROWS_PER_BATCH).execute()).map((p) => p.prefix)
        if (prefixes.length > 0) await trx.deleteFrom('registry_pages').where('version_id', '=', s.id).where('prefix', 'in', prefixes).execute()
        if (prefixes.length === ROWS_PER_BATCH) return false
        const gone = Number((await trx.deleteFrom('registry_versions').where('id', '=', s.id).executeTakeFirst()).numDeletedRows)
        if (gone > 0) {
          await appendAudit(trx, app.dialect, app.config.actor, now, { action: 'retention.purge.registry-version', subject: null, data: { run: runId, version: s.id, keyDestroyed: keyId } })
          await recordBatch(trx, runId, { 'registry-versions': 1 }, [keyId], now)
        }
        return true
      })
      step('registry-batch')
      if (done) break
    }
  }
}

async function purgeOrphanDisclosures(app: App, runId: string, step: StepHook): Promise<void> {
  await writeTransaction(app.db, app.dialect, async (trx) => {
    const orphans = await trx
      .selectFrom('disclosures')
      .select('id')
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('consent_events').select('consent_events.id').whereRef('consent_events.disclosure_id', '=', 'disclosures.id'))))
      .execute()
    if (orphans.length === 0) return
    const ids = orphans.map((o) => o.id)
    for (let i = 0; i < ids.length; i += 400) await trx.deleteFrom('disclosures').where('id', 'in', ids.slice(i, i + 400)).execute()
    const now = app.now()
    await appendAudit(trx, app.dialect, app.config.actor, now, { action: 'retention.purge.disclosures', subject: null, data: { run: runId, records: ids.length } })
    await recordBatch(trx, runId, { 'disclosure-texts': ids.length }, [], now)
  })
  step('disclosures')
}

/** What stays after a purge at `at`, and why (counts only). */
async function keptNow(db: Kysely<Database>, at: number, policy: RetentionPolicy, holds: readonly LegalHold[], pending: Record<string, number> = {}): Promise<RunSummary['kept']> {
  const kept = new KeptSummary(policy, at)
  let after: string | null = null
  for (;;) {
    const ids = await subjectIdPage(db, after, PAGE)
    if (ids.length === 0) break
    after = ids[ids.length - 1]!
    for (const f of await loadSubjectFacts(db, ids)) {
      const plan = planSubject(f, policy, holds, at)
      kept.add(plan.holds.length > 0 ? plan.schedule : plan.schedule.filter((r) => r.dueAt > at), plan.holds.map((h) => h.id))
    }
  }
  const count = async (table: 'decisions' | 'registry_versions' | 'suppressions' | 'audit_log'): Promise<number> =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0)
  const anyHold = holds.some((h) => holdActive(h, at))
  kept.addCount('decision-log', 'not yet due (ceiling counted from the instant decided) or under a legal hold', (await count('decisions')) - (pending['decision-log'] ?? 0))
  kept.addCount('registry-versions', anyHold ? 'in force, not yet due, or kept by a legal hold' : 'in force or not yet due', (await count('registry_versions')) - (pending['registry-versions'] ?? 0))
  kept.addCount('suppression-list', policy['suppression-list'].notes, await count('suppressions'))
  kept.addCount('audit-log', policy['audit-log'].notes, await count('audit_log'))
  return kept.lines()
}

async function dryRun(app: App, opts: PurgeOptions): Promise<PurgeResult> {
  const policy = opts.policy.policy
  const holds = await loadHolds(app.db)
  const deleted: Record<string, number> = {}
  let keys = 0
  let suppressions = 0
  let after: string | null = null
  for (;;) {
    const ids = await subjectIdPage(app.db, after, PAGE)
    if (ids.length === 0) break
    after = ids[ids.length - 1]!
    for (const f of await loadSubjectFacts(app.db, ids)) {
      const plan = planSubject(f, policy, holds, opts.at)
      for (const r of plan.due) deleted[r.recordClass] = (deleted[r.recordClass] ?? 0) + 1
      if (plan.due.some((r) => r.table === 'consent_events' || r.table === 'dnc_entries' || r.table === 'subjects')) keys++
      suppressions += plan.suppressions.length
    }
  }
  const sellers = await campaignSellers(app.db)
  const erasures = await erasuresByBidx(app.db)
  for (const r of await app.db.selectFrom('decisions').select(['id', 'phone_bidx', 'campaign_id', 'at']).execute()) {
    const d: DecisionFact = { id: r.id, bidx: r.phone_bidx, campaignId: r.campaign_id, sellerKey: sellers.get(r.campaign_id) ?? null, at: r.at }
    if (decisionDue(d, policy, holds, opts.at, r.phone_bidx === null ? null : (erasures.get(r.phone_bidx) ?? null))) deleted['decision-log'] = (deleted['decision-log'] ?? 0) + 1
  }
  const versions = await app.db.selectFrom('registry_versions').select(['id', 'registry', 'as_of', 'coverage']).execute()
  const reg = scheduleRegistryVersions(versions.map((v) => ({ id: v.id, registry: v.registry, asOf: v.as_of, coverage: coverageFact(v.coverage) })), policy, holds, opts.at)
  if (!reg.held) for (const s of reg.schedule) if (s.dueAt <= opts.at) deleted['registry-versions'] = (deleted['registry-versions'] ?? 0) + 1
  return {
    runId: null,
    at: formatInstant(opts.at),
    dryRun: true,
    resumed: false,
    deleted,
    keysDestroyed: keys + (deleted['registry-versions'] ?? 0),
    suppressionEntriesAdded: suppressions,
    kept: await keptNow(app.db, opts.at, policy, holds, deleted),
    receipt: null,
    physicalScrubComplete: null,
    completedEarlierRuns: [],
  }
}
