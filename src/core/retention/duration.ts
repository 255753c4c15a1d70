import { DAY, addMonthsUtc, type Instant } from '../time/instant.js'

/** A retention period: whole calendar months (years are 12 months) or whole days. */
export type Period = { readonly months: number } | { readonly days: number }

/** `years` calendar years. */
export function years(n: number): Period {
  return { months: 12 * n }
}

/** The instant `p` after `t` (calendar months in UTC, or exact days). */
export function addPeriod(t: Instant, p: Period): Instant {
  if (!Number.isFinite(t)) return t
  return 'months' in p ? addMonthsUtc(t, p.months) : t + p.days * DAY
}

/**
 * The instant `p` before `t`: the latest anchor `a` with `addPeriod(a, p) <= t` is at or after it.
 * Used to turn "due when anchor + p <= now" into a SQL cut-off; conservative by one day for months.
 */
export function subtractPeriod(t: Instant, p: Period): Instant {
  return 'months' in p ? addMonthsUtc(t, -p.months) - DAY : t - p.days * DAY
}

/** Whether period `a` is at least as long as `b` for every starting instant. */
export function periodAtLeast(a: Period, b: Period): boolean {
  if ('months' in a && 'months' in b) return a.months >= b.months
  if ('days' in a && 'days' in b) return a.days >= b.days
  // months vs days: a month has 28–31 days, a year 365–366
  if ('days' in a && 'months' in b) return a.days >= Math.ceil(b.months / 12) * 366 + (b.months % 12) * 31
  if ('months' in a && 'days' in b) return a.months * 28 >= b.days
  return false
}

/** A period as text: `5 years`, `18 months`, `30 days`. */
export function describePeriod(p: Period): string {
  if ('days' in p) return `${p.days} day${p.days === 1 ? '' : 's'}`
  if (p.months % 12 === 0) return `${p.months / 12} year${p.months === 12 ? '' : 's'}`
  return `${p.months} month${p.months === 1 ? '' : 's'}`
}
