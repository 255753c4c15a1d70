import type { Campaign } from '../../core/gate/campaign.js'
import type { Decision } from '../../core/gate/decision.js'
import type { AbandonmentByPeriod, DataPolicy, DecisionFacts, RegistryFact } from '../../core/gate/facts.js'
import type { GateRule } from '../../core/gate/gate-rule.js'
import type { Phone } from '../../core/phone/phone.js'
import type { Place } from '../../core/gate/place.js'
import { decide } from '../../core/gate/decide.js'
import { applicableRegistries } from '../../core/gate/applicable-registries.js'
import { candidatePlaces, type AddressHint } from '../../core/phone/places.js'
import { formatInstant } from '../../core/time/instant.js'
import type { GateRuleSet } from './gate-rules.js'
import { versionInForce, type RegistryVersion } from '../../store/repos/registries.js'
import type { SubjectRecord } from './gate-record.js'

/** Tells whether a national number is on a registry version (pages read ahead, or an in-memory bitset). */
export type ListedLookup = (version: RegistryVersion, national: number) => boolean

/** Where a number may be and which registry versions apply to it there (each the version in force for its area code). */
export interface Applicability {
  readonly places: readonly Place[]
  readonly registries: ReadonlyArray<{ readonly registry: string; readonly kind: 'national' | 'state'; readonly area: number | null; readonly version: RegistryVersion | null }>
}

/** The area code a registry version is looked up for: a NANP number's area code; `null` elsewhere (whole registries). */
export function registryArea(phone: Phone): number | null {
  return phone.callingCode === '1' ? phone.npa : null
}

/** One decision's inputs and outputs, ready for the decision log. */
export interface GateOutcome {
  readonly phone: Phone | null
  readonly decision: Decision
  readonly versions: Record<string, unknown>
}

/** What a session is opened with: everything about the campaign and instant that does not depend on the number. */
export interface SessionFacts {
  readonly campaign: Campaign
  readonly at: number
  readonly rules: GateRuleSet
  readonly registryVersions: readonly RegistryVersion[]
  readonly emergencies: readonly string[]
  /** The campaign's abandonment over each period the rules use (`GateRuleSet.abandonmentPeriods`). */
  readonly abandonment: AbandonmentByPeriod
  /** The staleness policy of the campaign's data purpose (`null`: the purpose is not declared or never stale). */
  readonly dataPolicy: DataPolicy | null
}

/**
 * A gate session: the campaign, instant, rules and registry versions fixed once, then any number
 * of numbers decided against them without I/O. `check` uses it for one number, `scrub` for every
 * row, so each row's verdict is exactly what `check` says.
 */
export class GateSession {
  readonly campaign: Campaign
  readonly at: number
  readonly rules: readonly GateRule[]
  /** What the session was opened with (plain data but for the compiled rules: worker threads rebuild the session from it). */
  readonly facts: SessionFacts
  readonly #ruleVersions: Readonly<Record<string, string>>
  readonly #emergencies: readonly string[]
  readonly #versions: readonly RegistryVersion[]
  readonly #abandonment: AbandonmentByPeriod
  readonly #dataPolicy: DataPolicy | null

  constructor(facts: SessionFacts) {
    this.facts = facts
    this.campaign = facts.campaign
    this.at = facts.at
    this.rules = facts.rules.rules
    this.#ruleVersions = facts.rules.versions
    this.#emergencies = facts.emergencies
    this.#versions = facts.registryVersions
    this.#abandonment = facts.abandonment
    this.#dataPolicy = facts.dataPolicy
  }

  /** Every imported registry version (the session decides with the ones in force at its instant). */
  get registryVersions(): readonly RegistryVersion[] {
    return this.#versions
  }

  /** The candidate places of a number and the registry versions in force for its area code that apply to it. */
  applicability(phone: Phone, address: AddressHint): Applicability {
    const places = candidatePlaces(phone, address)
    const area = registryArea(phone)
    const registries = applicableRegistries(phone, places).map((r) => ({ ...r, area, version: versionInForce(this.#versions, r.registry, area, this.at) }))
    return { places, registries }
  }

  /** The outcome for a number that is not a possible telephone number. */
  decideInvalid(record: SubjectRecord): GateOutcome {
    return { phone: null, decision: decide(this.#facts(null, [], record, []), this.rules, this.at), versions: { ...this.#ruleVersions } }
  }

  /**
   * Decides a valid number whose applicability and data versions are already known (bulk scrub
   * computes them once per NPA-NXX and address hint).
   */
  decideApplicable(phone: Phone, applicability: Applicability, versions: Record<string, unknown>, record: SubjectRecord, listed: ListedLookup): GateOutcome {
    const national = Number(phone.national)
    const registries: RegistryFact[] = applicability.registries.map((r) => ({
      registry: r.registry,
      kind: r.kind,
      area: r.area,
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
      registries: applicability.registries.map((r) => ({ registry: r.registry, area: r.area, version: r.version?.id ?? null, asOf: r.version ? formatInstant(r.version.asOf).slice(0, 10) : null })),
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
      contacts: record.contacts,
      dataPolicy: this.#dataPolicy,
    }
  }
}
