import type { DialingMode, Purpose } from '../gate/campaign.js'

/**
 * Rule packs: calling rules as data, each entry with its legal source. The default pack
 * (`default-pack.ts`) carries the rules of `rules.md`; an operator may add or override entries
 * with a JSON pack of the same shape (`validatePack`, `mergePacks`).
 */

/** Weekday names, index = weekday number (0 = Sunday). */
export const DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const

/** A weekday by name; index in `DAY_NAMES` is the weekday number (0 = Sunday). */
export type DayName = (typeof DAY_NAMES)[number]

/** A local time of day: minutes after midnight (0–1440) or `'HH:MM'` (`'24:00'` allowed as an end). */
export type TimeOfDay = number | string

/** A local time range, start inclusive, end exclusive. */
export type TimeRange = readonly [TimeOfDay, TimeOfDay]

/**
 * A calling window by day. The most specific entry wins: `saturday`/`sunday`, then `weekdays`
 * (Mon–Fri), then `daily`. A day matched by none is not restricted by this window (ban whole
 * days with `bannedDays`, which gives `RESTRICTED_DAY`).
 */
export interface WindowSpec {
  readonly daily?: TimeRange
  readonly weekdays?: TimeRange
  readonly saturday?: TimeRange
  readonly sunday?: TimeRange
}

/** Public holidays of a date-holidays country/region (type `public` only, substitutes included). */
export interface HolidayBan {
  readonly country: string
  readonly region?: string
  /** Extra holidays in date-holidays rule syntax, e.g. `{ rule: 'easter -2', name: 'Good Friday' }`. */
  readonly extra?: readonly { readonly rule: string; readonly name: string }[]
}

/** At most `calls` calls from one seller to the number in any rolling `perHours` hours. */
export interface FrequencyCap {
  readonly calls: number
  readonly perHours: number
}

/** The look-back period of an abandonment cap without `periodHours`: 30 days. */
export const DEFAULT_ABANDONMENT_PERIOD_HOURS = 720

/** Abandoned calls may be at most `maxPercent` % of live-answered calls over `periodHours` (default 30 days). */
export interface AbandonmentCap {
  readonly maxPercent: number
  /** The measurement period the app layer must use for the statistics (informational here). */
  readonly periodHours?: number
}

/** Confidence of the source (rules.md): primary text, secondary only, both, or operator policy. */
export type Confidence = 'P' | 'S' | 'P/S' | 'operator'

/** One jurisdiction's (or one operator policy's) calling rules, with its source. */
export interface JurisdictionRule {
  /** Unique in a pack, e.g. `US`, `US-FL`, `CA`, `acme-quiet-hours`. Reasons name it. */
  readonly id: string
  /** A place applies the entries of its country, and of its country + region. */
  readonly appliesTo: { readonly country: string; readonly region?: string }
  /** Campaign purposes it governs; omitted = every purpose. */
  readonly purposes?: readonly Purpose[]
  /** Dialing modes it governs; omitted = every mode. */
  readonly dialing?: readonly DialingMode[]
  readonly window?: WindowSpec
  /** Also evaluate window and days in this fixed zone (MS: Central Standard Time, `Etc/GMT+6`). */
  readonly fixedZone?: string
  readonly bannedDays?: readonly DayName[]
  readonly holidayBan?: HolidayBan
  readonly frequencyCap?: FrequencyCap
  /** Calls are banned while the operator flags a declared emergency for `country-region` (or this id). */
  readonly emergencyBan?: true
  readonly abandonmentCap?: AbandonmentCap
  /** Citation, e.g. `Fla. Stat. 501.616(6)`. */
  readonly source: string
  readonly confidence: Confidence
  readonly note?: string
}

/** A named, versioned list of jurisdiction rules. */
export interface RulePack {
  readonly name: string
  readonly version: string
  readonly entries: readonly JurisdictionRule[]
}

/**
 * Overlays an operator pack on a base pack: an entry with an id already in the base replaces it
 * whole (in place); other entries are appended. The version names both packs.
 *
 * @example mergePacks(DEFAULT_PACK, operatorPack).version // '1.0.0+…;acme@3'
 */
export function mergePacks(base: RulePack, operator: RulePack): RulePack {
  const overrides = new Map(operator.entries.map((e) => [e.id, e]))
  const baseIds = new Set(base.entries.map((e) => e.id))
  const entries = [
    ...base.entries.map((e) => overrides.get(e.id) ?? e),
    ...operator.entries.filter((e) => !baseIds.has(e.id)),
  ]
  return { name: base.name, version: `${base.version};${operator.name}@${operator.version}`, entries }
}

/**
 * Parses a `TimeOfDay` to minutes after midnight, or `null` when malformed.
 *
 * @example parseTimeOfDay('21:30') === 1290
 */
export function parseTimeOfDay(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= 1440 ? value : null
  if (typeof value !== 'string') return null
  const m = /^(\d{2}):(\d{2})$/.exec(value)
  if (!m) return null
  const minutes = Number(m[1]) * 60 + Number(m[2])
  return Number(m[2]) < 60 && minutes <= 1440 ? minutes : null
}

/**
 * Resolves a window spec to one range per weekday (index 0 = Sunday), `null` for unrestricted days.
 * Assumes a validated spec.
 */
export function windowByWeekday(spec: WindowSpec): ([number, number] | null)[] {
  const range = (r: TimeRange | undefined): [number, number] | null =>
    r === undefined ? null : [parseTimeOfDay(r[0]) ?? 0, parseTimeOfDay(r[1]) ?? 1440]
  const out: ([number, number] | null)[] = []
  for (let wd = 0; wd < 7; wd++) {
    const specific = wd === 0 ? spec.sunday : wd === 6 ? spec.saturday : spec.weekdays
    out.push(range(specific ?? spec.daily))
  }
  return out
}

