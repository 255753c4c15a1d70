import type { Phone } from '../../core/phone/phone.js'
import { nanpPhone } from '../../core/phone/nanp.js'
import { isValidRegionCode, placesKey, type AddressHint } from '../../core/phone/places.js'
import { formatInstant } from '../../core/time/instant.js'
import type { PackedRegistry } from '../../core/dnc/packed-registry.js'
import type { Applicability, GateOutcome, GateSession } from '../gate/gate-session.js'
import { emptyRecord, type SubjectRecord } from '../gate/gate-record.js'
import type { RegistrySnapshot } from '../indexes/registry-snapshot.js'
import { STATE_IDS, stateCode } from './address-bytes.js'

/**
 * One decision as the output CSV and the run record need it, formatted once and shared by every
 * entry that reaches it (a run has a few dozen: they stay in the cache beside the write pass).
 */
export interface RowOutcome {
  readonly allowed: boolean
  readonly invalid: boolean
  readonly verdict: 'allow' | 'block'
  /** Reason codes joined with `;`. */
  readonly codes: string
  /** The bytes written after `dialward_phone`: delimiter, verdict, delimiter, reasons, delimiter, next allowed instant. */
  readonly suffix: Uint8Array
}

/** The decision about a number with a gate record: its row, and the decision for the decision log. */
export interface RecordOutcome {
  readonly row: RowOutcome
  readonly outcome: GateOutcome
}

/** Decisions cached for the numbers of one area code (and address hint): its applicability, and one outcome per set of listings. */
export interface PlaceEntry {
  readonly applicability: Applicability
  readonly versions: Record<string, unknown>
  /** The registry sets to test, in applicability order (`null` where no version is in force). */
  readonly sets: ReadonlyArray<PackedRegistry | null>
  /** Outcome by bitmask of the registries the number is listed on (numbers without a gate record). */
  readonly outcomes: Array<RowOutcome | undefined>
  /** Rows that took each of those outcomes (counted by the engine). */
  readonly counts: Float64Array
  /** The key the run record names this entry by (`area|state`). */
  readonly key: string
  /** Scratch of the engine's batches: the batch it was last seen in, and where each of its sets' hits are. */
  stamp: number
  readonly slots: Int32Array
}

const ENCODER = new TextEncoder()

/** A number that stands for its area code (places and registry versions depend on nothing else of a NANP number). */
const representative = (npa: number): Phone => nanpPhone(npa * 10_000_000 + 2_000_000)

/**
 * Decides scrub rows with a gate session, computing each distinct decision once. A number's
 * decision depends only on its country and area code with the address hint (places, and the
 * registry versions in force for that area code), the registries it is listed on, and its gate
 * record; numbers without a record (almost every row) take the outcome cached for exactly those
 * inputs, so `decide` and the formatting run once per key. Numbers with a record are decided one
 * by one. Every outcome is what `GateSession.decideApplicable` (or `decideInvalid`) gives for the
 * same number, as in `check`.
 */
export class RowDecider {
  readonly #session: GateSession
  readonly #registries: RegistrySnapshot
  readonly #delimiter: number
  /** Entries of NANP numbers without an address hint, by area code. */
  readonly byNpa: Array<PlaceEntry | undefined> = new Array<PlaceEntry | undefined>(1000).fill(undefined)
  readonly #byKey = new Map<string, PlaceEntry>()
  /** Entries by area code, then state id (`null`: not a state or province); made for the area codes a hinted row reaches. */
  readonly #byNpaState = new Array<Array<PlaceEntry | null | undefined> | undefined>(1000).fill(undefined)
  #invalid: RowOutcome | null = null
  /** Every distinct outcome, by invalid flag and suffix. */
  readonly #interned = new Map<string, RowOutcome>()

  constructor(session: GateSession, registries: RegistrySnapshot, delimiter: number) {
    this.#session = session
    this.#registries = registries
    this.#delimiter = delimiter
  }

  /** Every entry made so far (for the run record's table of outcomes). */
  entries(): PlaceEntry[] {
    return [...this.byNpa.filter((e): e is PlaceEntry => e !== undefined), ...this.#byKey.values()]
  }

  /** The entry of a NANP area code without an address hint. */
  npaEntry(npa: number): PlaceEntry {
    return (this.byNpa[npa] ??= this.#make(representative(npa), {}, String(npa)))
  }

  /**
   * The entry of any valid number with an address hint. Only the state takes part: a ZIP code adds
   * no place (`AddressHint.zip`), so numbers of one area code and state share an entry whatever
   * their ZIP codes.
   */
  entry(phone: Phone, address: AddressHint): PlaceEntry {
    const state = address.state ?? null
    if (state === null && phone.callingCode === '1' && phone.npa !== null) return this.npaEntry(phone.npa)
    const key = `${placesKey(phone)}|${state ?? ''}`
    let e = this.#byKey.get(key)
    if (e === undefined) {
      e = this.#make(phone, { state }, key)
      this.#byKey.set(key, e)
    }
    return e
  }

  /**
   * The entry of a NANP area code with a state read by the scan as two ASCII letters
   * ({@link stateId}), or `null` when they are not a known state or province (the row takes the
   * slow path, which reports it).
   */
  stateEntry(npa: number, state: number): PlaceEntry | null {
    const byState = (this.#byNpaState[npa] ??= new Array<PlaceEntry | null | undefined>(STATE_IDS).fill(undefined))
    let e = byState[state]
    if (e === undefined) {
      const code = stateCode(state)
      e = isValidRegionCode(code) ? this.entry(representative(npa), { state: code }) : null
      byState[state] = e
    }
    return e
  }

  /** The bitmask of registries of `entry` that list `national`. */
  bits(entry: PlaceEntry, national: number): number {
    let bits = 0
    const sets = entry.sets
    for (let k = 0; k < sets.length; k++) if (sets[k]?.has(national) === true) bits |= 1 << k
    return bits
  }

  /** The cached outcome of a number without a gate record (made on first use). */
  cached(entry: PlaceEntry, phone: Phone | number, bits: number): RowOutcome {
    let o = entry.outcomes[bits]
    if (o === undefined) {
      const p = typeof phone === 'number' ? nanpPhone(phone) : phone
      o = this.#format(this.#session.decideApplicable(p, entry.applicability, entry.versions, emptyRecord(), this.#listed(entry, bits)))
      entry.outcomes[bits] = o
    }
    return o
  }

  /** The decision about a number with a gate record (decided every time). */
  withRecord(entry: PlaceEntry, phone: Phone, bits: number, record: SubjectRecord): RecordOutcome {
    const outcome = this.#session.decideApplicable(phone, entry.applicability, entry.versions, record, this.#listed(entry, bits))
    return { row: this.#format(outcome, false, false), outcome }
  }

  /** The outcome of a value that is not a possible number (without a gate record). */
  invalid(): RowOutcome {
    this.#invalid ??= this.#format(this.#session.decideInvalid(emptyRecord()), true)
    return this.#invalid
  }

  #listed(entry: PlaceEntry, bits: number): (version: { readonly registry: string }, national: number) => boolean {
    const regs = entry.applicability.registries
    return (version) => {
      for (let k = 0; k < regs.length; k++) if (regs[k]!.registry === version.registry) return (bits & (1 << k)) !== 0
      return false
    }
  }

  #make(phone: Phone, address: AddressHint, key: string): PlaceEntry {
    const applicability = this.#session.applicability(phone, address)
    const sets = applicability.registries.map((r) => (r.version === null ? null : this.#registries.set(r.registry)))
    return {
      applicability,
      versions: this.#session.versionsOf(applicability),
      sets,
      outcomes: [],
      counts: new Float64Array(1 << sets.length),
      key,
      stamp: 0,
      slots: new Int32Array(sets.length).fill(-1),
    }
  }

  /**
   * The outcome for a decision, formatted; shared (once per distinct verdict, reasons and next
   * allowed time) unless `shared` is false: numbers with a record have next allowed times of
   * their own, and their outcomes are used once.
   */
  #format(outcome: GateOutcome, invalid = false, shared = true): RowOutcome {
    const d = outcome.decision
    const delim = String.fromCharCode(this.#delimiter)
    const codes = d.reasons.map((r) => r.code).join(';')
    const field = codes.includes(delim) ? `"${codes}"` : codes
    const next = d.nextAllowedAt === null ? '' : formatInstant(d.nextAllowedAt)
    const text = `${delim}${d.verdict}${delim}${field}${delim}${next}`
    const make = (): RowOutcome => ({ allowed: d.verdict === 'allow', invalid, verdict: d.verdict, codes, suffix: ENCODER.encode(text) })
    if (!shared) return make()
    const key = `${invalid ? 1 : 0}${text}`
    let o = this.#interned.get(key)
    if (o === undefined) {
      o = make()
      this.#interned.set(key, o)
    }
    return o
  }
}
