import { DAY } from '../time/instant.js'

/**
 * Calendar arithmetic on "day numbers": whole days since 1970-01-01 in some local calendar.
 * A local wall-clock reading is handled as if it were a UTC epoch value ("wall ms"), so the
 * day number of a wall reading `w` is `Math.floor(w / DAY)`.
 */

/** A calendar date in the proleptic Gregorian calendar. */
export interface CivilDate {
  readonly year: number
  /** 1–12 */
  readonly month: number
  /** 1–31 */
  readonly day: number
}

/**
 * Weekday of a day number, 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
 *
 * @example weekdayOfDay(0) === 4
 */
export function weekdayOfDay(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7
}

/**
 * Converts a day number to its calendar date (H. Hinnant's `civil_from_days`).
 *
 * @example civilFromDay(0) // { year: 1970, month: 1, day: 1 }
 */
export function civilFromDay(dayNumber: number): CivilDate {
  const z = dayNumber + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day }
}

/**
 * Converts a calendar date to its day number.
 *
 * @example dayFromCivil(2026, 12, 25) === Date.UTC(2026, 11, 25) / DAY
 */
export function dayFromCivil(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / DAY)
}

/** Formats a day number as `YYYY-MM-DD`. */
export function formatDay(dayNumber: number): string {
  const c = civilFromDay(dayNumber)
  return `${String(c.year).padStart(4, '0')}-${pad2(c.month)}-${pad2(c.day)}`
}

/** Formats minutes after midnight as `HH:MM` (1440 → `24:00`). */
export function formatMinute(minuteOfDay: number): string {
  return `${pad2(Math.floor(minuteOfDay / 60))}:${pad2(minuteOfDay % 60)}`
}

/** Short English weekday names, index 0 = Sunday. */
export const WEEKDAY_SHORT = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}
