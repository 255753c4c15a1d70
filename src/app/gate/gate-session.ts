import type { Kysely } from 'kysely'
import type { Database } from '../../store/schema.js'
import type { Campaign } from '../../core/gate/campaign.js'
import type { Decision } from '../../core/gate/decision.js'
import type { AbandonmentStats, DecisionFacts, RegistryFact } from '../../core/gate/facts.js'
import type { GateRule } from '../../core/gate/gate-rule.js'
import type { Phone } from '../../core/phone/phone.js'
import type { Place } from '../../core/gate/place.js'
import { decide } from '../../core/gate/decide.js'
import { applicableRegistries } from '../../core/gate/applicable-registries.js'
import { candidatePlaces, type AddressHint } from '../../core/phone/places.js'
import { DAY, formatInstant } from '../../core/time/instant.js'
import { emergenciesAt } from './emergencies.js'
import type { GateRuleSet } from './gate-rules.js'
import { loadRegistryVersions, versionInForce, type RegistryVersion } from './registry-versions.js'
import type { SubjectRecord } from './subject-records.js'

/** How far back call records are loaded for frequency caps and the abandonment rate. */
export const CALL_LOOKBACK = 31 * DAY

/** Tells whether a national number is on a registry version (pages read ahead, or an in-memory bitset). */
export type ListedLookup = (version: RegistryVersion, national: number) => boolean

/** Where a number may be and which registry versions apply to it there. */
export interface Applicability {
  readonly places: readonly Place[]
  readonly registries: ReadonlyArray<{ readonly registry: string; readonly kind: 'national' | 'state'; readonly version: RegistryVersion | null }>
}

/** One decision's inputs and outputs, ready for the decision log. */
export interface GateOutcome {
  readonly phone: Phone | null
  readonly decision: Decision
  readonly versions: Record<string, unknown>
}

/**
 * A gate session: the campaign, instant, rules and registry versions fixed once, then any number
 * of numbers decided against them. `check` uses it for one number, `scrub` for every row, so each
 * row's verdict is exactly what `check` says.
 */
export class GateSession {
  readonly campaign: Campaign
  readonly at: number
  readonly rules: readonly GateRule[]
  readonly #ruleVersions: Readonly<Record<string, string>>
  readonly #emergencies: readonly string[]
  readonly #versions: readonly RegistryVersion[]
  readonly #abandonment: AbandonmentStats

  private constructor(
    campaign: Campaign,
    at: number,
    ruleSet: GateRuleSet,
    emergencies: readonly string[],
    versions: readonly RegistryVersion[],
    abandonment: AbandonmentStats,
  ) {
    this.campaign = campaign
    this.at = at
    this.rules = ruleSet.rules
    this.#ruleVersions = ruleSet.versions
    this.#emergencies = emergencies
    this.#versions = versions
    this.#abandonment = abandonment
  }

  static async open(db: Kysely<Database>, ruleSet: GateRuleSet, campaign: Campaign, at: number): Promise<GateSession> {
    const versions = await loadRegistryVersions(db)
    const abandonment = await abandonmentStatsFor(db, campaign.id, at)
    const emergencies = await emergenciesAt(db, at)
    return new GateSession(campaign, at, ruleSet, emergencies, versions, abandonment)
  }

  /** Registry versions in force at the session's instant (for preloading bitsets). */
  versionsInForce(): RegistryVersion[] {
    const ids = new Set(this.#versions.map((v) => v.registry))
    return [...ids].map((r) => versionInForce(this.#versions, r, this.at)).filter((v): v is RegistryVersion => v !== null)
  }

  /** The candidate places of a number and the registry versions in force that apply to it. */
  applicability(phone: Phone, address: AddressHint): Applicability {
    const places = candidatePlaces(phone, address)
    const registries = applicableRegistries(phone, places).map((r) => ({ ...r, version: versionInForce(this.#versions, r.registry, this.at) }))
    return { places, registries }
  }

  /** The outcome for a number that is not a possible telephone number. */
  decideInvalid(record: SubjectRecord): GateOutcome {
    return { phone: null, decision: decide(this.#facts(null, [], record, []), this.rules, this.at), versions: { ...this.#ruleVersions } }
  }

  /**
   * Decides a valid number whose applicability and data versions are already known (bulk scrub
   * computes them once per NPA-NXX and address hint); `decide` is exactly this after computing them.
   */
  decideApplicable(phone: Phone, applicability: Applicability, versions: Record<string, unknown>, record: SubjectRecord, listed: ListedLookup): GateOutcome {
    const national = Number(phone.national)
    const registries: RegistryFact[] = applicability.registries.map((r) => ({
      registry: r.registry,
      kind: r.kind,
      version: r.version ? { id: r.version.id, asOf: r.version.asOf } : null,
      listed: r.version ? listed(r.version, national) : false,
    }))
    const decision = decide(this.#facts(phone, applicability.places, record, registries), this.rules, this.at)
    return { phone, decision, versions }
  }

  /** The data versions a decision with this applicability is made under (rules, engine, tables, registries). */
  versionsOf(applicability: Applicability): Record<string, unknown> {
    return {
      ...this.#ruleVersions,
      registries: applicability.registries.map((r) => ({ registry: r.registry, version: r.version?.id ?? null, asOf: r.version ? formatInstant(r.version.asOf).slice(0, 10) : null })),
    }
  }

  #facts(phone: Phone | null, places: readonly Place[], record: SubjectRecord, registries: readonly RegistryFact[]): DecisionFacts {
    return {
      phone,
      campaign: this.campaign,
      places,
      consentEvents: record.consentEvents,
      dncEntries: record.dncEntries,
      reassigned: record.reassigned,
      registries,
      calls: record.calls,
      abandonment: this.#abandonment,
      flags: { emergencies: this.#emergencies },
    }
  }
}

/** Live-answered (answered + abandoned) and abandoned calls of a campaign in the 30 days up to the instant. */
export async function abandonmentStatsFor(db: Kysely<Database>, campaignId: string, at: number): Promise<AbandonmentStats> {
  const rows = await db
    .selectFrom('calls')
    .select(['outcome', (eb) => eb.fn.countAll<number>().as('n')])
    .where('campaign_id', '=', campaignId)
    .where('at', '>', at - 30 * DAY)
    .where('at', '<=', at)
    .groupBy('outcome')
    .execute()
  let answered = 0
  let abandoned = 0
  for (const r of rows) {
    if (r.outcome === 'answered') answered += Number(r.n)
    if (r.outcome === 'abandoned') abandoned += Number(r.n)
  }
  return { liveAnswered: answered + abandoned, abandoned }
}
