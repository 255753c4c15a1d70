import { formatInstant } from '../../core/time/instant.js'
import type { Phone } from '../../core/phone/phone.js'
import { planSubject } from '../../core/retention/subject-plan.js'
import { scheduleDecision } from '../../core/retention/global-plan.js'
import { holdsCoveringDecision } from '../../core/retention/holds.js'
import { KeptSummary } from '../../core/retention/kept-summary.js'
import type { RunSummary } from '../../store/repos/retention-runs.js'
import type { RequestContext } from '../context.js'
import { applySubjectPlan } from './apply-subject-plan.js'
import { decisionFact } from './decision-facts.js'
import { crashPoint } from '../crash-points.js'
import type { RetentionDeps } from './deps.js'
import { finishPendingRuns, finishRun, type FinishedRun } from './finish-run.js'
import type { LoadedPolicy } from './policy-file.js'
import { retentionFacts } from './subject-facts.js'
import { rowId } from '../../store/row-id.js'

/**
 * Erases a data subject (a data-subject request) at `at`: in one audited transaction, writes an
 * erasure suppression entry (blind index, date, every seller: the gate keeps answering
 * INTERNAL_DNC for marketing calls), deletes every record no legal floor or hold requires,
 * destroys the subject's data key (or moves what must stay to a fresh key and destroys the old
 * one), and records the run. What a floor still requires goes at the floor, in a later purge.
 * Then scrubs and writes a receipt.
 */
export async function eraseSubject(d: RetentionDeps, ctx: RequestContext, phone: Phone, at: number, loaded: LoadedPolicy): Promise<FinishedRun> {
  const { repos } = d
  await finishPendingRuns(d, ctx)
  const policy = loaded.policy
  const bidx = repos.subjects.bidxOf(phone)
  const holds = await repos.legalHolds.all(d.store.db)
  const runId = rowId('run')
  await d.uow.write(ctx, 'subject.erase', async (tx) => {
    const file = (await repos.subjectRecords.read(tx.db, { bidx: [bidx] }, { sealed: false })).get(bidx)!
    const already = file.suppressions.some((s) => s.origin === 'erasure')
    let suppressions = 0
    if (!already) {
      await repos.suppressions.add(tx.db, { bidx, sellerKey: null, at, origin: 'erasure' }, tx.now)
      suppressions++
    }
    const kept = new KeptSummary(policy, at)
    const records: Record<string, number> = {}
    const keys: string[] = []
    const facts = retentionFacts(file)
    if (facts) {
      // the request just recorded counts as the subject's erasure request (the earliest one wins)
      const plan = planSubject(already ? facts : { ...facts, erasureAt: at }, policy, holds, at, d.dataSchema)
      const out = await applySubjectPlan(repos, tx.db, plan, tx.now)
      for (const [k, v] of Object.entries(out.counts)) records[k] = v
      keys.push(...out.keysDestroyed)
      suppressions += out.suppressionsAdded
      const dueIds = new Set(plan.due.map((r) => r.id))
      kept.add(plan.schedule.filter((r) => !dueIds.has(r.id)), plan.holds.map((h) => h.id))
    }
    const sellers = await repos.campaigns.sellers(tx.db)
    const dueDecisions: string[] = []
    for (const row of await repos.decisions.forNumber(tx.db, bidx)) {
      const fact = decisionFact(row, sellers)
      const schedule = scheduleDecision(fact, policy, at)
      const held = holdsCoveringDecision(holds, fact, at)
      if (schedule.dueAt <= at && held.length === 0) dueDecisions.push(row.id)
      else kept.add([schedule], held.map((h) => h.id))
    }
    await repos.decisions.deleteIds(tx.db, dueDecisions)
    if (dueDecisions.length > 0) records['decision-log'] = dueDecisions.length
    kept.addCount('suppression-list', 'erasure suppression entry: blind index, date, every seller (47 CFR 64.1200(d)(6); GDPR Art. 21(3))', 1)
    const summary: RunSummary = { records, keysDestroyed: keys, suppressionEntriesAdded: suppressions, kept: kept.lines(), policySha256: loaded.sha256 }
    tx.changed('subjects', bidx)
    if (keys.length > 0) tx.changed('keys')
    return {
      result: undefined,
      audit: {
        subject: bidx,
        data: { run: runId, at: formatInstant(at), records: JSON.stringify(records), keysDestroyed: keys.join(','), subjectErased: keys.length > 0 && records['contact-pii'] === 1 },
        onAppended: (trx, seq) => repos.retentionRuns.insertAudited(trx, { id: runId, kind: 'erasure', at, subject: bidx, summary, auditSeq: seq }, tx.now),
      },
    }
  })
  crashPoint('retention.audited')
  return finishRun(d, ctx, runId)
}
