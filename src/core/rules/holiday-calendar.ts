import Holidays from 'date-holidays'
import { civilFromDay, dayFromCivil } from './civil-day.js'
import type { HolidayBan } from './rule-pack.js'

/**
 * Public holidays of one jurisdiction by local day number, from date-holidays (pinned, so
 * decisions are reproducible). Only `type === 'public'` holidays count (date-holidays also
 * returns observances such as Valentine's Day); substitute ("observed") days are public too and
 * are included. Years are computed on first use and cached.
 */
export interface HolidayCalendar {
  /** `US-AL`, or `US-PA+2` with extra rules. */
  readonly key: string
  /** The holiday's name when local day `dayNumber` is a public holiday, else `null`. */
  holidayOn(dayNumber: number): string | null
  /** Every public holiday of a year, ascending by day. */
  holidaysIn(year: number): readonly { readonly dayNumber: number; readonly name: string }[]
}

const calendars = new Map<string, HolidayCalendar>()

/** The (shared, cached) calendar for a holiday ban. Assumes a validated ban. */
export function holidayCalendar(ban: HolidayBan): HolidayCalendar {
  const extra = ban.extra ?? []
  const key = [ban.country, ban.region ?? '', ...extra.map((e) => `${e.rule}=${e.name}`)].join('|')
  let cal = calendars.get(key)
  if (cal === undefined) {
    cal = createCalendar(ban, key)
    calendars.set(key, cal)
  }
  return cal
}

function createCalendar(ban: HolidayBan, key: string): HolidayCalendar {
  let hd: Holidays | null = null
  const years = new Map<number, Map<number, string>>()
  let lastFirst = 0
  let lastLast = -1
  let lastYear = new Map<number, string>()

  const yearMap = (year: number): Map<number, string> => {
    let m = years.get(year)
    if (m !== undefined) return m
    if (hd === null) {
      hd = ban.region === undefined ? new Holidays(ban.country) : new Holidays(ban.country, ban.region)
      for (const e of ban.extra ?? []) hd.setHoliday(e.rule, { name: e.name, type: 'public' })
    }
    m = new Map()
    for (const h of hd.getHolidays(year)) {
      if (h.type !== 'public') continue
      const [y, mo, d] = h.date.slice(0, 10).split('-').map(Number)
      const day = dayFromCivil(y!, mo!, d!)
      if (!m.has(day)) m.set(day, h.name)
    }
    years.set(year, m)
    return m
  }

  return {
    key,
    holidayOn(dayNumber) {
      if (dayNumber < lastFirst || dayNumber > lastLast) {
        const year = civilFromDay(dayNumber).year
        lastYear = yearMap(year)
        lastFirst = dayFromCivil(year, 1, 1)
        lastLast = dayFromCivil(year, 12, 31)
      }
      return lastYear.get(dayNumber) ?? null
    },
    holidaysIn(year) {
      return [...yearMap(year).entries()]
        .map(([dayNumber, name]) => ({ dayNumber, name }))
        .sort((a, b) => a.dayNumber - b.dayNumber)
    },
  }
}

/** Whether date-holidays knows the country (and region, when given). */
export function isKnownHolidayRegion(country: string, region?: string): boolean {
  const countries = new Holidays().getCountries()
  if (!Object.prototype.hasOwnProperty.call(countries, country)) return false
  if (region === undefined) return true
  const states = new Holidays().getStates(country) ?? {}
  return Object.prototype.hasOwnProperty.call(states, region)
}

/** Whether date-holidays can parse a holiday rule such as `easter -2`. */
export function isValidHolidayRule(country: string, rule: string): boolean {
  const hd = new Holidays(country)
  return hd.setHoliday(rule, { name: 'check', type: 'public' })
}
