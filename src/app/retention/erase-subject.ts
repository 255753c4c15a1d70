import { randomUUID } from 'node:crypto'
import { writeTransaction } from '../../store/write-transaction.js'
import { formatInstant } from '../../core/time/instant.js'
import type { Phone } from '../../core/phone/phone.js'
import { planSubject } from '../../core/retention/subject-plan.js'
import { scheduleDecision } from '../../core/retention/global-plan.js'
import { holdsCoveringDecision } from '../../core/retention/holds.js'
import { KeptSummary } from '../../core/retention/kept-summary.js'
import { appendAudit } from '../audit/audit-trail.js'
import type { App } from '../open-app.js'
import { applySubjectPlan } from './apply-subject-plan.js'
import { finishPendingRuns, finishRun, type FinishedRun, type StepHook } from './finish-run.js'
import { loadHolds } from './holds-store.js'
import type { LoadedPolicy } from './policy-file.js'
import { loadSubjectFacts } from './retention-facts-store.js'
import type { RunSummary } from './run-record.js'

/**
 * Erases a data subject (a data-subject request) at `at`: in one transaction, writes an erasure
 * suppression entry (blind index, date, every seller: the gate keeps answering INTERNAL_DNC for
 * marketing calls), deletes every record no legal floor or hold requires, destroys the subject's
 * data key (or moves what must stay to a fresh key and destroys the old one), and audits it. What
 * a floor still requires goes at the floor, in a later purge. Then scrubs and writes a receipt.
 */
export async function eraseSubject(app: App, phone: Phone, at: number, loaded: LoadedPolicy, onStep?: StepHook): Promise<FinishedRun> {
  await finishPendingRuns(app, onStep)
  const policy = loaded.policy
  const bidx = app.blindIndexer.phone(phone.e164)
  const holds = await loadHolds(app.db)
  const runId = `run_${randomUUID()}`
  await writeTransaction(app.db, app.dialect, async (trx) => {
    const now = app.now()
    const already = await trx.selectFrom('suppressions').select('id').where('phone_bidx', '=', bidx).where('origin', '=', 'erasure').executeTakeFirst()
    let suppressions = 0
    if (!already) {
      await trx.insertInto('suppressions').values({ id: `sup_${randomUUID()}`, phone_bidx: bidx, seller_key: null, at, origin: 'erasure', created_at: now }).execute()
      suppressions++
    }
    const kept = new KeptSummary(policy, at)
    const records: Record<string, number> = {}
    const keys: string[] = []
    const subject = await trx.selectFrom('subjects').select('id').where('phone_bidx', '=', bidx).executeTakeFirst()
    if (subject) {
      const [facts] = await loadSubjectFacts(trx, [subject.id])
      const plan = planSubject(facts!, policy, holds, at)
      const out = await applySubjectPlan(app, trx, plan, now)
      for (const [k, v] of Object.entries(out.counts)) records[k] = v
      keys.push(...out.keysDestroyed)
      suppressions += out.suppressionsAdded
      const dueIds = new Set(plan.due.map((r) => r.id))
      kept.add(plan.schedule.filter((r) => !dueIds.has(r.id)), plan.holds.map((h) => h.id))
    }
    const sellers = new Map((await trx.selectFrom('campaigns').select(['id', 'seller_key']).execute()).map((c) => [c.id, c.seller_key]))
    const decisions = await trx.selectFrom('decisions').select(['id', 'campaign_id', 'at']).where('phone_bidx', '=', bidx).execute()
    const dueDecisions: string[] = []
    for (const d of decisions) {
      const fact = { id: d.id, bidx, campaignId: d.campaign_id, sellerKey: sellers.get(d.campaign_id) ?? null, at: d.at }
      const schedule = scheduleDecision(fact, policy, at)
      const held = holdsCoveringDecision(holds, fact, at)
      if (schedule.dueAt <= at && held.length === 0) dueDecisions.push(d.id)
      else kept.add([schedule], held.map((h) => h.id))
    }
    for (let i = 0; i < dueDecisions.length; i += 400) await trx.deleteFrom('decisions').where('id', 'in', dueDecisions.slice(i, i + 400)).execute()
    if (dueDecisions.length > 0) records['decision-log'] = dueDecisions.length
    kept.addCount('suppression-list', 'erasure suppression entry: blind index, date, every seller (47 CFR 64.1200(d)(6); GDPR Art. 21(3))', 1)
    const summary: RunSummary = { records, keysDestroyed: keys, suppressionEntriesAdded: suppressions, kept: kept.lines(), policySha256: loaded.sha256 }
    const seq = await appendAudit(trx, app.dialect, app.config.actor, now, {
      action: 'subject.erase',
      subject: bidx,
      data: { run: runId, at: formatInstant(at), records: JSON.stringify(records), keysDestroyed: keys.join(','), subjectErased: keys.length > 0 && records['contact-pii'] === 1 },
    })
    await trx
      .insertInto('retention_runs')
      .values({ id: runId, kind: 'erasure', at, status: 'audited', subject: bidx, started_at: now, finished_at: null, summary: JSON.stringify(summary), audit_seq: seq, receipt_path: null })
      .execute()
  })
  onStep?.('audited')
  return finishRun(app, runId, onStep)
}
