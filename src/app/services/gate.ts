import type { Reason } from '../../core/gate/reason.js'
import type { AbandonmentByPeriod, AbandonmentStats } from '../../core/gate/facts.js'
import type { AddressHint } from '../../core/phone/places.js'
import { normalizePhone } from '../../core/phone/normalize.js'
import { formatInstant } from '../../core/time/instant.js'
import type { Repositories } from '../../store/repos/index.js'
import type { RequestContext } from '../context.js'
import type { RegistryCatalog } from '../indexes/registry-catalog.js'
import type { GateRuleSet } from '../gate/gate-rules.js'
import { GateSession, type GateOutcome } from '../gate/gate-session.js'
import { emptyRecord } from '../gate/gate-record.js'
import type { FactSource } from '../gate/fact-source.js'
import type { DecisionLog, PendingDecision } from '../gate/decision-log.js'
import type { CampaignService } from './campaigns.js'
import type { EmergencyService } from './emergencies.js'
import type { LoadedSchema } from '../contacts/data-schema-file.js'
import { dataPurposeOf } from '../../core/gate/campaign.js'
import { purposePolicy } from '../../core/contacts/data-schema.js'
import { rowId } from '../../store/row-id.js'

/** One pre-dial question: may this number be called at `at` (default now) for this campaign? */
export interface CheckInput {
  readonly campaign: string
  /** The number as given; an invalid number is an answer (`INVALID_NUMBER`), not an error. */
  readonly phone: string
  readonly at?: number | undefined
  readonly address: AddressHint
}

/** Several numbers for one campaign at one instant. */
export interface CheckManyInput {
  readonly campaign: string
  readonly at?: number | undefined
  readonly numbers: ReadonlyArray<{ readonly phone: string; readonly address: AddressHint }>
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
  readonly repos: Repositories
  readonly rules: GateRuleSet
  readonly registries: RegistryCatalog
  readonly campaigns: CampaignService
  readonly emergencies: EmergencyService
  /** Stored rows (command line) or the in-memory index (server). */
  readonly facts: FactSource
  /** One unit of work per call (command line) or group commit (server). */
  readonly log: DecisionLog
  readonly clock: () => number
  /** The data schema: the staleness policy of each data purpose. */
  readonly dataSchema: LoadedSchema
}

/**
 * The pre-dial gate. Rules are compiled once; registry versions, campaigns and emergencies are
 * cached and dropped when another process changes them. A check gathers every fact first, then
 * decides each number (pure), then writes the decisions durably before answering. Where the facts
 * come from and how the log is written are the only differences between the CLI and the server.
 */
export class GateService {
  readonly #d: GateDeps

  constructor(deps: GateDeps) {
    this.#d = deps
  }

  async check(ctx: RequestContext, input: CheckInput): Promise<CheckResult> {
    const [result] = await this.checkMany(ctx, { campaign: input.campaign, at: input.at, numbers: [{ phone: input.phone, address: input.address }] })
    return result!
  }

  /**
   * Decides several numbers for one campaign at one instant against one session; every decision is
   * logged (one entry for one number, one batch entry for several) before the results return, in
   * input order.
   */
  async checkMany(ctx: RequestContext, input: CheckManyInput): Promise<CheckResult[]> {
    const d = this.#d
    await d.facts.refresh()
    const at = input.at ?? d.clock()
    const session = await this.session(input.campaign, at)
    const parsed = input.numbers.map((n) => {
      const normalized = normalizePhone(n.phone)
      const phone = normalized.ok ? normalized.phone : null
      return { phone, bidx: phone ? d.repos.subjects.bidxOf(phone) : null, address: n.address }
    })
    const records = await d.facts.records([...new Set(parsed.flatMap((p) => (p.bidx === null ? [] : [p.bidx])))], at)
    const outcomes: GateOutcome[] = []
    for (const p of parsed) {
      const record = (p.bidx === null ? undefined : records.get(p.bidx)) ?? emptyRecord()
      if (p.phone === null) {
        outcomes.push(session.decideInvalid(record))
        continue
      }
      const applicability = session.applicability(p.phone, p.address)
      const versions = applicability.registries.flatMap((r) => (r.version ? [r.version] : []))
      const listed = versions.length === 0 ? new Set<string>() : await d.facts.listedOn(versions, Number(p.phone.national))
      outcomes.push(session.decideApplicable(p.phone, applicability, session.versionsOf(applicability), record, (v) => listed.has(v.id)))
    }
    const pending: PendingDecision[] = outcomes.map((o, i) => ({
      id: rowId('dec'),
      phone_bidx: parsed[i]!.bidx,
      campaign_id: session.campaign.id,
      at,
      verdict: o.decision.verdict,
      reasons: JSON.stringify(o.decision.reasons),
      next_allowed_at: o.decision.nextAllowedAt,
      versions: JSON.stringify(o.versions),
    }))
    await d.log.append(ctx, pending)
    return outcomes.map((o, i) => ({
      phone: o.phone?.e164 ?? null,
      verdict: o.decision.verdict,
      reasons: [...o.decision.reasons],
      nextAllowedAt: o.decision.nextAllowedAt === null ? null : formatInstant(o.decision.nextAllowedAt),
      decisionId: pending[i]!.id,
    }))
  }

  /** A gate session for a campaign at an instant: everything that does not depend on the number, gathered once. */
  async session(campaignId: string, at: number): Promise<GateSession> {
    const d = this.#d
    const campaign = await d.campaigns.get(campaignId)
    const purpose = dataPurposeOf(campaign)
    const policy = purposePolicy(d.dataSchema.schema, purpose)
    return new GateSession({
      dataPolicy: policy === null ? null : { purpose, staleAfterDays: policy.staleAfterDays },
      campaign,
      at,
      rules: d.rules,
      registryVersions: await d.registries.versions(),
      emergencies: await d.emergencies.regionsAt(at),
      abandonment: await abandonmentByPeriod(d.facts, campaign.id, at, d.rules.abandonmentPeriods),
    })
  }
}

/** The campaign's abandonment over each period the rules use, read once per session. */
async function abandonmentByPeriod(facts: FactSource, campaignId: string, at: number, periods: readonly number[]): Promise<AbandonmentByPeriod> {
  const out: Record<number, AbandonmentStats> = {}
  for (const hours of periods) out[hours] = await facts.abandonment(campaignId, at, hours)
  return out
}
