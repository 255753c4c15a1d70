import type { Campaign } from '../gate/campaign.js'
import type { Place } from '../gate/place.js'
import { HOUR } from '../time/instant.js'
import { WEEKDAY_SHORT, formatMinute } from './civil-day.js'
import { holidayCalendar, type HolidayCalendar } from './holiday-calendar.js'
import { DAY_NAMES, DEFAULT_ABANDONMENT_PERIOD_HOURS, windowByWeekday, type JurisdictionRule, type RulePack } from './rule-pack.js'
import type { DayWindows } from './zone-constraints.js'
import { periodText } from './period-text.js'

/** One pack entry prepared for the hot path: parsed windows, calendars and reason texts. */
export interface CompiledRule {
  readonly id: string
  readonly entry: JurisdictionRule
  /** `US-LA`: the operator emergency flag that triggers `emergencyBan`. */
  readonly flagKey: string
  readonly marketing: boolean
  readonly informational: boolean
  /** `null` = every dialing mode. */
  readonly dialing: readonly string[] | null
  readonly window: DayWindows | null
  /** `08:00-20:00`, or per day. */
  readonly windowText: string
  readonly windowRule: string
  readonly fixedZone: string | null
  /** Banned weekdays (index 0 = Sunday), or `null`. */
  readonly bannedDays: readonly boolean[] | null
  readonly holidays: HolidayCalendar | null
  readonly daysRule: string
  readonly cap: { readonly calls: number; readonly perMs: number } | null
  readonly capRule: string
  readonly emergency: boolean
  readonly emergencyRule: string
  readonly abandonMaxPercent: number | null
  /** The cap's look-back period in hours (30 days when the entry names none). */
  readonly abandonPeriodHours: number
  readonly abandonRule: string
}

/** A pack compiled for evaluation: entries indexed by country and region. */
export interface CompiledPack {
  readonly pack: RulePack
  readonly rules: readonly CompiledRule[]
  readonly byCountry: ReadonlyMap<string, { readonly national: readonly CompiledRule[]; readonly byRegion: ReadonlyMap<string, readonly CompiledRule[]> }>
}

const NONE: readonly CompiledRule[] = []

/** Compiles a (validated) pack. Compile once and reuse: rules built from it share the work. */
export function compilePack(pack: RulePack): CompiledPack {
  const rules = pack.entries.map(compileRule)
  const byCountry = new Map<string, { national: CompiledRule[]; byRegion: Map<string, CompiledRule[]> }>()
  for (const r of rules) {
    const { country } = r.entry.appliesTo
    let c = byCountry.get(country)
    if (c === undefined) byCountry.set(country, (c = { national: [], byRegion: new Map() }))
    if (r.entry.appliesTo.region === undefined) c.national.push(r)
  }
  for (const r of rules) {
    const { country, region } = r.entry.appliesTo
    if (region === undefined) continue
    const c = byCountry.get(country)!
    let list = c.byRegion.get(region)
    if (list === undefined) c.byRegion.set(region, (list = [...c.national]))
    list.push(r)
  }
  return { pack, rules, byCountry }
}

/** The rules a place applies: its country's, plus its region's. */
export function rulesForPlace(cp: CompiledPack, place: Place): readonly CompiledRule[] {
  const c = cp.byCountry.get(place.country)
  if (c === undefined) return NONE
  if (place.region === null) return c.national
  return c.byRegion.get(place.region) ?? c.national
}

/** Whether a rule governs this campaign's purpose and dialing mode. */
export function governs(rule: CompiledRule, campaign: Campaign): boolean {
  if (campaign.purpose === 'marketing' ? !rule.marketing : !rule.informational) return false
  return rule.dialing === null || rule.dialing.includes(campaign.dialing)
}

/**
 * Human label of a window by weekday, e.g. `08:00-20:00` or `Mon-Fri 09:00-18:00, Sat 10:00-17:00`.
 */
export function windowLabel(byWeekday: readonly ([number, number] | null)[]): string {
  const text = (r: [number, number]): string => `${formatMinute(r[0])}-${formatMinute(r[1])}`
  const order = [1, 2, 3, 4, 5, 6, 0]
  const first = byWeekday[0]
  if (first && byWeekday.every((r) => r !== null && r[0] === first[0] && r[1] === first[1])) return text(first)
  const groups: string[] = []
  let i = 0
  while (i < order.length) {
    const r = byWeekday[order[i]!]
    let j = i
    while (j + 1 < order.length && same(byWeekday[order[j + 1]!], r)) j++
    if (r) groups.push(`${WEEKDAY_SHORT[order[i]!]}${j > i ? `-${WEEKDAY_SHORT[order[j]!]}` : ''} ${text(r)}`)
    i = j + 1
  }
  return groups.join(', ')
}

function same(a: [number, number] | null | undefined, b: [number, number] | null | undefined): boolean {
  return a === b || (!!a && !!b && a[0] === b[0] && a[1] === b[1])
}

/** Text of a holiday ban, e.g. `public holidays (date-holidays US-PA + Good Friday, Election Day)`. */
export function holidayLabel(entry: JurisdictionRule): string {
  const h = entry.holidayBan
  if (!h) return ''
  const extra = h.extra && h.extra.length > 0 ? ` + ${h.extra.map((e) => e.name).join(', ')}` : ''
  return `public holidays (date-holidays ${h.country}${h.region ? `-${h.region}` : ''}${extra})`
}

function compileRule(e: JurisdictionRule): CompiledRule {
  const flagKey = e.appliesTo.region ? `${e.appliesTo.country}-${e.appliesTo.region}` : e.appliesTo.country
  const purposes = e.purposes ?? ['marketing', 'informational']
  const byWeekday = e.window ? windowByWeekday(e.window) : null
  const window: DayWindows | null = byWeekday
    ? { starts: byWeekday.map((r) => (r ? r[0] : -1)), ends: byWeekday.map((r) => (r ? r[1] : -1)) }
    : null
  const banned = e.bannedDays && e.bannedDays.length > 0 ? DAY_NAMES.map((d) => e.bannedDays!.includes(d)) : null
  const dayParts = [
    ...(e.bannedDays ?? []).map((d) => `no ${d[0]!.toUpperCase()}${d.slice(1)}`),
    ...(e.holidayBan ? [`no ${holidayLabel(e)}`] : []),
  ]
  const fixed = e.fixedZone ?? null
  const cap = e.frequencyCap ?? null
  const ab = e.abandonmentCap ?? null
  const periodHours = ab?.periodHours ?? DEFAULT_ABANDONMENT_PERIOD_HOURS
  return {
    id: e.id,
    entry: e,
    flagKey,
    marketing: purposes.includes('marketing'),
    informational: purposes.includes('informational'),
    dialing: e.dialing ?? null,
    window,
    windowText: byWeekday ? windowLabel(byWeekday) : '',
    windowRule: byWeekday
      ? `${e.id} calling window ${windowLabel(byWeekday)}${fixed ? ` (local time and ${fixed})` : ''}, ${e.source}`
      : '',
    fixedZone: fixed,
    bannedDays: banned,
    holidays: e.holidayBan ? holidayCalendar(e.holidayBan) : null,
    daysRule: dayParts.length > 0 ? `${e.id} restricted days (${dayParts.join(', ')}), ${e.source}` : '',
    cap: cap ? { calls: cap.calls, perMs: cap.perHours * HOUR } : null,
    capRule: cap ? `${e.id} frequency cap ${cap.calls} calls/${cap.perHours} h per seller, ${e.source}` : '',
    emergency: e.emergencyBan === true,
    emergencyRule: e.emergencyBan ? `${e.id} declared-emergency ban (flag ${flagKey}), ${e.source}` : '',
    abandonMaxPercent: ab ? ab.maxPercent : null,
    abandonPeriodHours: periodHours,
    abandonRule: ab ? `${e.id} abandonment cap ${ab.maxPercent}% of live-answered calls per ${periodText(periodHours)}, ${e.source}` : '',
  }
}
