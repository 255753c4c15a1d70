import type { Decision } from '../../core/gate/decision.js'
import type { Phone } from '../../core/phone/phone.js'
import { placesKey, type AddressHint } from '../../core/phone/places.js'
import { formatInstant } from '../../core/time/instant.js'
import type { Applicability, GateOutcome, GateSession, ListedLookup } from './gate-session.js'
import { emptyRecord, type SubjectRecord } from './gate-record.js'

/** One decided row with everything the output CSV and the decision log need, formatted once. */
export interface ScrubOutcome {
  readonly decision: Decision
  /** Reason codes joined with `;` (the `dialward_reasons` column). */
  readonly codes: string
  /** Next allowed instant in ISO form, or `''` (the `dialward_next_allowed_at` column). */
  readonly nextAllowedAt: string
  /** The reasons as the decision log stores them (JSON). */
  readonly reasonsJson: string
  /** The data versions as JSON (the same for every row with the same applicable registries). */
  readonly versionsJson: string
}

interface PlaceEntry {
  readonly applicability: Applicability
  readonly versions: Record<string, unknown>
  readonly versionsJson: string
  /** Decisions of numbers without a gate record, by the bitmask of registries they are listed on. */
  readonly byListed: Map<number, ScrubOutcome>
}

/** Cached applicability entries before the cache is emptied (memory stays bounded). */
const MAX_ENTRIES = 50_000

/**
 * Decides scrub rows with a gate session, computing each distinct decision once. A number's
 * decision depends only on its country, NPA-NXX and address hint (places, applicable registries),
 * the registries it is listed on, and its gate record (see `placesKey`); for numbers without a gate record (almost
 * every row of a bulk list) the decision is cached by exactly those inputs, so `decide` and the
 * formatting run once per key. Numbers with a record are decided individually. Every result is
 * what `GateSession.decideApplicable` (or `decideInvalid`) gives for the same number, as in `check`.
 */
export class ScrubDecider {
  readonly #session: GateSession
  readonly #listed: ListedLookup
  readonly #places = new Map<number | string, PlaceEntry>()
  #invalid: ScrubOutcome | null = null

  constructor(session: GateSession, listed: ListedLookup) {
    this.#session = session
    this.#listed = listed
  }

  /** Decides one row: `record` is the number's gate record, `undefined` when it has none. */
  decide(phone: Phone | null, record: SubjectRecord | undefined, address: AddressHint): ScrubOutcome {
    if (phone === null) {
      if (record !== undefined) return format(this.#session.decideInvalid(record))
      if (this.#invalid === null) this.#invalid = format(this.#session.decideInvalid(emptyRecord()))
      return this.#invalid
    }
    const entry = this.#entry(phone, address)
    if (record !== undefined) {
      return format(this.#session.decideApplicable(phone, entry.applicability, entry.versions, record, this.#listed), entry.versionsJson)
    }
    const national = Number(phone.national)
    const registries = entry.applicability.registries
    let bits = 0
    for (let i = 0; i < registries.length; i++) {
      const version = registries[i]!.version
      if (version !== null && this.#listed(version, national)) bits |= 1 << i
    }
    let cached = entry.byListed.get(bits)
    if (cached === undefined) {
      cached = format(this.#session.decideApplicable(phone, entry.applicability, entry.versions, emptyRecord(), this.#listed), entry.versionsJson)
      entry.byListed.set(bits, cached)
    }
    return cached
  }

  #entry(phone: Phone, address: AddressHint): PlaceEntry {
    const key = placeKey(phone, address)
    let entry = this.#places.get(key)
    if (entry === undefined) {
      if (this.#places.size >= MAX_ENTRIES) this.#places.clear()
      const applicability = this.#session.applicability(phone, address)
      const versions = this.#session.versionsOf(applicability)
      entry = { applicability, versions, versionsJson: JSON.stringify(versions), byListed: new Map() }
      this.#places.set(key, entry)
    }
    return entry
  }
}

/** What a number's places, country and applicable registries depend on (with the address hint). */
function placeKey(phone: Phone, address: AddressHint): number | string {
  const key = placesKey(phone)
  const state = address.state ?? null
  const zip = address.zip ?? null
  return state === null && zip === null ? key : `${key}|${state ?? ''}|${zip ?? ''}`
}

function format(outcome: GateOutcome, versions = JSON.stringify(outcome.versions)): ScrubOutcome {
  const d = outcome.decision
  return {
    decision: d,
    codes: d.reasons.map((r) => r.code).join(';'),
    nextAllowedAt: d.nextAllowedAt === null ? '' : formatInstant(d.nextAllowedAt),
    reasonsJson: JSON.stringify(d.reasons),
    versionsJson: versions,
  }
}
