import { DAY, MINUTE, type Instant } from '../time/instant.js'
import { weekdayOfDay } from './civil-day.js'
import type { TimeConstraint } from './earliest-common.js'
import { instantsAtLocal, localWallMs, nextOffsetChange } from './local-time.js'

/**
 * A calling window per weekday (index 0 = Sunday): minutes after local midnight, start
 * inclusive, end exclusive; `-1` in `starts` means no window that day (not restricted by it).
 */
export interface DayWindows {
  readonly starts: readonly number[]
  readonly ends: readonly number[]
}

/** Whether the local clock reading `wall` (wall ms) lies inside `w`. */
export function insideWindow(w: DayWindows, wall: number): boolean {
  const day = Math.floor(wall / DAY)
  const wd = weekdayOfDay(day)
  const s = w.starts[wd]!
  if (s < 0) return true
  const minute = Math.floor((wall - day * DAY) / MINUTE)
  return minute >= s && minute < w.ends[wd]!
}

/**
 * Lower bound for the next instant after `t` at which a local condition may turn true, given
 * for each local day the minute from which it may hold (`null`: not that day). Besides those
 * crossings, a condition can only turn true at an offset transition, which is also considered.
 */
function nextCrossing(zone: string, t: Instant, startOf: (day: number) => number | null, maxDays: number): Instant {
  const today = Math.floor(localWallMs(zone, t) / DAY)
  let best = Number.POSITIVE_INFINITY
  for (let d = today; d <= today + maxDays && best === Number.POSITIVE_INFINITY; d++) {
    const s = startOf(d)
    if (s === null) continue
    for (const c of instantsAtLocal(zone, d, s)) if (c > t && c < best) best = c
  }
  if (best === Number.POSITIVE_INFINITY) best = t + maxDays * DAY
  const change = nextOffsetChange(zone, t, best)
  return change !== null && change > t && change < best ? change : best
}

/**
 * "The local time in `zone` is inside `windows`". Across a fall-back overlap the clock reading
 * decides (a window opening at 01:30 opens at the first 01:30 and is closed again while the
 * repeated hour reads 01:00–01:29); in a spring-forward gap the window opens at the first
 * instant after the gap.
 */
export function windowConstraint(zone: string, windows: DayWindows): TimeConstraint {
  return {
    isOpen: (t) => insideWindow(windows, localWallMs(zone, t)),
    nextOpenBound: (t) =>
      nextCrossing(zone, t, (d) => Math.max(0, windows.starts[weekdayOfDay(d)]!), 8),
  }
}

/** "The local date in `zone` is an allowed day" (`allowed` takes a local day number). */
export function dayConstraint(zone: string, allowed: (dayNumber: number) => boolean, maxDays = 410): TimeConstraint {
  return {
    isOpen: (t) => allowed(Math.floor(localWallMs(zone, t) / DAY)),
    nextOpenBound: (t) => nextCrossing(zone, t, (d) => (allowed(d) ? 0 : null), maxDays),
  }
}
