import { randomUUID } from 'node:crypto'
import type { Reason } from '../../core/gate/reason.js'
import type { AddressHint } from '../../core/phone/places.js'
import { normalizePhone } from '../../core/phone/normalize.js'
import { DAY, formatInstant } from '../../core/time/instant.js'
import type { Executor } from '../../store/schema.js'
import type { Repositories } from '../../store/repos/index.js'
import type { DecisionRow } from '../../store/repos/decisions.js'
import type { RequestContext } from '../context.js'
import type { StoreWatch } from '../indexes/store-watch.js'
import type { RegistryCatalog } from '../indexes/registry-catalog.js'
import type { UnitOfWork } from '../unit-of-work.js'
import type { GateRuleSet } from '../gate/gate-rules.js'
import { GateSession, type GateOutcome } from '../gate/gate-session.js'
import { CALL_LOOKBACK, emptyRecord, gateRecord } from '../gate/gate-record.js'
import type { CampaignService } from './campaigns.js'
import type { EmergencyService } from './emergencies.js'

/** One pre-dial question: may this number be called at `at` (default now) for this campaign? */
export interface CheckInput {
  readonly campaign: string
  /** The number as given; an invalid number is an answer (`INVALID_NUMBER`), not an error. */
  readonly phone: string
  readonly at?: number | undefined
  readonly address: AddressHint
}

/** The contract's `check --json` document. */
export interface CheckResult {
  readonly phone: string | null
  readonly verdict: 'allow' | 'block'
  readonly reasons: Reason[]
  readonly nextAllowedAt: string | null
  readonly decisionId: string
}

/** What the gate service is built from. */
export interface GateDeps {
  readonly uow: UnitOfWork
  readonly repos: Repositories
  readonly db: Executor
  readonly watch: StoreWatch
  readonly rules: GateRuleSet
  readonly registries: RegistryCatalog
  readonly campaigns: CampaignService
  readonly emergencies: EmergencyService
  readonly clock: () => number
}

/**
 * The pre-dial gate. Rules are compiled once; registry versions, campaigns and emergencies are
 * cached and dropped when another process changes them. A check gathers every fact first, then
 * decides once (pure), then writes the decision and its audit entry in one unit of work.
 */
export class GateService {
  readonly #d: GateDeps

  constructor(deps: GateDeps) {
    this.#d = deps
  }

  async check(ctx: RequestContext, input: CheckInput): Promise<CheckResult> {
    const d = this.#d
    await d.watch.sync(d.db)
    const now = d.clock()
    const at = input.at ?? now
    const session = await this.session(input.campaign, at)
    const normalized = normalizePhone(input.phone)
    const phone = normalized.ok ? normalized.phone : null
    const bidx = phone ? d.repos.subjects.bidxOf(phone) : null
    const file = bidx === null ? undefined : (await d.repos.subjectRecords.read(d.db, { bidx: [bidx] }, { sealed: false, callsSince: at - CALL_LOOKBACK })).get(bidx)
    const record = gateRecord(file) ?? emptyRecord()
    let outcome: GateOutcome
    if (phone === null) outcome = session.decideInvalid(record)
    else {
      const applicability = session.applicability(phone, input.address)
      const listed = new Set<string>()
      for (const { version } of applicability.registries) {
        if (version && (await d.repos.registries.isListed(d.db, version, Number(phone.national)))) listed.add(version.id)
      }
      outcome = session.decideApplicable(phone, applicability, session.versionsOf(applicability), record, (v) => listed.has(v.id))
    }
    const id = `dec_${randomUUID()}`
    const decision = outcome.decision
    const reasons = decision.reasons.map((r) => r.code).join(';')
    await d.uow.write(ctx, 'gate.check', async (tx) => {
      await d.repos.decisions.insert(tx.db, decisionRow(outcome, { id, bidx, campaignId: session.campaign.id, source: 'check', at, decidedAt: tx.now }))
      return { result: null, audit: { subject: bidx, data: { decision: id, campaign: session.campaign.id, at: formatInstant(at), verdict: decision.verdict, reasons } } }
    })
    return {
      phone: phone?.e164 ?? null,
      verdict: decision.verdict,
      reasons: [...decision.reasons],
      nextAllowedAt: decision.nextAllowedAt === null ? null : formatInstant(decision.nextAllowedAt),
      decisionId: id,
    }
  }

  /**
   * Several numbers for one campaign at one instant (the HTTP batch check): one session, every
   * number decided against it, and every decision written in one unit of work with one audit entry
   * (`gate.check.batch`; the rows' `source` is the batch id). Results are in input order.
   */
  async checkMany(ctx: RequestContext, input: { readonly campaign: string; readonly at?: number | undefined; readonly numbers: ReadonlyArray<{ readonly phone: string; readonly address: AddressHint }> }): Promise<CheckResult[]> {
    const d = this.#d
    await d.watch.sync(d.db)
    const at = input.at ?? d.clock()
    const session = await this.session(input.campaign, at)
    const parsed = input.numbers.map((n) => {
      const normalized = normalizePhone(n.phone)
      const phone = normalized.ok ? normalized.phone : null
      return { phone, bidx: phone ? d.repos.subjects.bidxOf(phone) : null, address: n.address }
    })
    const bidxs = [...new Set(parsed.flatMap((p) => (p.bidx === null ? [] : [p.bidx])))]
    const files = await d.repos.subjectRecords.read(d.db, { bidx: bidxs }, { sealed: false, callsSince: at - CALL_LOOKBACK })
    const batch = `batch_${randomUUID()}`
    const outcomes: GateOutcome[] = []
    for (const p of parsed) {
      const record = gateRecord(p.bidx === null ? undefined : files.get(p.bidx)) ?? emptyRecord()
      if (p.phone === null) {
        outcomes.push(session.decideInvalid(record))
        continue
      }
      const phone = p.phone
      const applicability = session.applicability(phone, p.address)
      const listed = new Set<string>()
      for (const { version } of applicability.registries) {
        if (version && (await d.repos.registries.isListed(d.db, version, Number(phone.national)))) listed.add(version.id)
      }
      outcomes.push(session.decideApplicable(phone, applicability, session.versionsOf(applicability), record, (v) => listed.has(v.id)))
    }
    const ids = outcomes.map(() => `dec_${randomUUID()}`)
    const allowed = outcomes.filter((o) => o.decision.verdict === 'allow').length
    await d.uow.write(ctx, 'gate.check.batch', async (tx) => {
      for (let i = 0; i < outcomes.length; i++) {
        await d.repos.decisions.insert(tx.db, decisionRow(outcomes[i]!, { id: ids[i]!, bidx: parsed[i]!.bidx, campaignId: session.campaign.id, source: batch, at, decidedAt: tx.now }))
      }
      return { result: null, audit: { subject: null, data: { batch, campaign: session.campaign.id, at: formatInstant(at), decisions: outcomes.length, allowed, blocked: outcomes.length - allowed } } }
    })
    return outcomes.map((o, i) => ({
      phone: o.phone?.e164 ?? null,
      verdict: o.decision.verdict,
      reasons: [...o.decision.reasons],
      nextAllowedAt: o.decision.nextAllowedAt === null ? null : formatInstant(o.decision.nextAllowedAt),
      decisionId: ids[i]!,
    }))
  }

  /** A gate session for a campaign at an instant: everything that does not depend on the number, gathered once. */
  async session(campaignId: string, at: number): Promise<GateSession> {
    const d = this.#d
    const campaign = await d.campaigns.get(campaignId)
    return new GateSession({
      campaign,
      at,
      rules: d.rules,
      registryVersions: await d.registries.versions(),
      emergencies: await d.emergencies.regionsAt(at),
      abandonment: await d.repos.calls.abandonment(d.db, campaign.id, at - 30 * DAY, at),
    })
  }
}

/** The decision-log row of an outcome: reasons and data versions, the number only as a blind index. */
export function decisionRow(
  outcome: GateOutcome,
  where: { readonly id: string; readonly bidx: string | null; readonly campaignId: string; readonly source: string; readonly at: number; readonly decidedAt: number },
): DecisionRow {
  return {
    id: where.id,
    phone_bidx: where.bidx,
    campaign_id: where.campaignId,
    source: where.source,
    at: where.at,
    verdict: outcome.decision.verdict,
    reasons: JSON.stringify(outcome.decision.reasons),
    next_allowed_at: outcome.decision.nextAllowedAt,
    versions: JSON.stringify(outcome.versions),
    decided_at: where.decidedAt,
  }
}
