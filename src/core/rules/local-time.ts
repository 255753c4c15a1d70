import { DAY, HOUR, MINUTE, type Instant } from '../time/instant.js'
import { civilFromDay, weekdayOfDay } from './civil-day.js'

/**
 * Local time in IANA zones, over `Intl` only (tzdata comes from Node's ICU; log
 * `process.versions.tz` with every decision).
 *
 * Offsets are cached per zone and UTC hour: one `Intl.DateTimeFormat` per zone, a few
 * `formatToParts` per (zone, UTC day) ever asked. An hour that contains an offset transition
 * (DST, or Newfoundland's 05:30 UTC change) is detected by comparing its first and last second
 * and is stored with the exact transition instant, so half-hour zones are exact too.
 */

interface HourTransition {
  readonly at: Instant
  readonly before: number
  readonly after: number
}

interface ZoneCache {
  readonly format: Intl.DateTimeFormat
  readonly hours: Map<number, number>
  readonly transitions: Map<number, HourTransition>
}

/** Hours kept per zone before the cache is dropped (bounds memory under random instants). */
const MAX_CACHED_HOURS = 250_000
const SECOND = 1000
const caches = new Map<string, ZoneCache>()

function zoneCache(zone: string): ZoneCache {
  let cache = caches.get(zone)
  if (cache === undefined) {
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    cache = { format, hours: new Map(), transitions: new Map() }
    caches.set(zone, cache)
  }
  return cache
}

/** Uncached offset in minutes at a whole second, straight from ICU. */
function rawOffset(cache: ZoneCache, t: Instant): number {
  const s = Math.floor(t / SECOND) * SECOND
  let y = 0
  let mo = 1
  let d = 1
  let h = 0
  let mi = 0
  let se = 0
  for (const p of cache.format.formatToParts(s)) {
    if (p.type === 'year') y = Number(p.value)
    else if (p.type === 'month') mo = Number(p.value)
    else if (p.type === 'day') d = Number(p.value)
    else if (p.type === 'hour') h = Number(p.value)
    else if (p.type === 'minute') mi = Number(p.value)
    else if (p.type === 'second') se = Number(p.value)
  }
  const wall = new Date(0)
  wall.setUTCFullYear(y, mo - 1, d)
  wall.setUTCHours(h, mi, se, 0)
  return Math.round((wall.getTime() - s) / MINUTE)
}

function fillHour(cache: ZoneCache, hour: number, t: Instant): number {
  if (cache.hours.size >= MAX_CACHED_HOURS) cache.hours.clear()
  // Fill a whole UTC day at once when its first and last second agree (no zone changes its
  // offset twice within 24 hours), so cold searches over months cost one ICU call per day.
  const block = Math.floor(hour / 24) * 24
  const first = rawOffset(cache, block * HOUR)
  if (first === rawOffset(cache, (block + 24) * HOUR - SECOND)) {
    for (let h = block; h < block + 24; h++) cache.hours.set(h, first)
    return first
  }
  const start = hour * HOUR
  const end = start + HOUR - SECOND
  const before = rawOffset(cache, start)
  const after = rawOffset(cache, end)
  if (before === after) {
    cache.hours.set(hour, before)
    return before
  }
  let lo = start
  let hi = end
  while (hi - lo > SECOND) {
    const mid = Math.floor((lo + hi) / 2 / SECOND) * SECOND
    if (rawOffset(cache, mid) === before) lo = mid
    else hi = mid
  }
  cache.transitions.set(hour, { at: hi, before, after })
  return t < hi ? before : after
}

/**
 * UTC offset of `zone` at `instant`, in minutes east of UTC (New York winter −300,
 * St. John's winter −210). Throws `RangeError` for an unknown zone.
 *
 * @example zoneOffsetMinutes('America/St_Johns', Date.UTC(2026, 0, 15)) === -210
 */
export function zoneOffsetMinutes(zone: string, instant: Instant): number {
  const cache = zoneCache(zone)
  const hour = Math.floor(instant / HOUR)
  const cached = cache.hours.get(hour)
  if (cached !== undefined) return cached
  const tr = cache.transitions.get(hour)
  if (tr !== undefined) return instant < tr.at ? tr.before : tr.after
  return fillHour(cache, hour, instant)
}

/**
 * The local wall-clock reading at `instant`, expressed as if it were a UTC epoch value
 * ("wall ms"): `Math.floor(wall / DAY)` is the local day number.
 */
export function localWallMs(zone: string, instant: Instant): number {
  return instant + zoneOffsetMinutes(zone, instant) * MINUTE
}

/** The local calendar reading of an instant in a zone. */
export interface LocalParts {
  readonly year: number
  readonly month: number
  readonly day: number
  /** 0 = Sunday … 6 = Saturday */
  readonly weekday: number
  /** Minutes after local midnight, 0–1439 (seconds dropped). */
  readonly minuteOfDay: number
  /** Local day number (days since 1970-01-01 in the local calendar). */
  readonly dayNumber: number
}

/**
 * Local date, weekday and minute of day of `instant` in `zone`.
 *
 * @example localParts('America/Phoenix', Date.UTC(2026, 6, 1, 15)).minuteOfDay === 8 * 60
 */
export function localParts(zone: string, instant: Instant): LocalParts {
  const wall = localWallMs(zone, instant)
  const dayNumber = Math.floor(wall / DAY)
  const civil = civilFromDay(dayNumber)
  return {
    year: civil.year,
    month: civil.month,
    day: civil.day,
    weekday: weekdayOfDay(dayNumber),
    minuteOfDay: Math.floor((wall - dayNumber * DAY) / MINUTE),
    dayNumber,
  }
}

/**
 * The instants at which the local clock of `zone` reads `minuteOfDay`:00 on local day
 * `dayNumber`, ascending: one normally, two in a fall-back overlap (first occurrence first).
 * When that reading is skipped (spring-forward gap) the result is the single first instant
 * after the gap, whose reading is later than asked.
 */
export function instantsAtLocal(zone: string, dayNumber: number, minuteOfDay: number): Instant[] {
  const wall = dayNumber * DAY + minuteOfDay * MINUTE
  // Any solution t = wall − offset lies within [wall − 14 h, wall + 12 h].
  const oa = zoneOffsetMinutes(zone, wall - 14 * HOUR) * MINUTE
  const ob = zoneOffsetMinutes(zone, wall + 12 * HOUR) * MINUTE
  const ta = wall - oa
  const tb = wall - ob
  const out: Instant[] = []
  if (zoneOffsetMinutes(zone, ta) * MINUTE === oa) out.push(ta)
  if (tb !== ta && zoneOffsetMinutes(zone, tb) * MINUTE === ob) out.push(tb)
  if (out.length === 2) {
    if (out[0]! > out[1]!) out.reverse()
    return out
  }
  if (out.length === 1) return out
  const change = nextOffsetChange(zone, Math.min(ta, tb), Math.max(ta, tb))
  return [change ?? Math.max(ta, tb)]
}

/**
 * The first instant in `(from, to]` whose offset differs from the offset at `from`, or `null`
 * when the offsets at `from` and `to` agree (at most one transition is assumed in between,
 * which holds for every tzdata zone over the spans used here: ≤ 9 days).
 */
export function nextOffsetChange(zone: string, from: Instant, to: Instant): Instant | null {
  const o = zoneOffsetMinutes(zone, from)
  if (to <= from || zoneOffsetMinutes(zone, to) === o) return null
  let lo = from
  let hi = to
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2)
    if (zoneOffsetMinutes(zone, mid) === o) lo = mid
    else hi = mid
  }
  return hi
}

/**
 * The earliest instant `>= from` at which the local clock of `zone` reads `minuteOfDay`:00
 * (on any day), or the first instant after a gap that skips that reading.
 *
 * @example // New York, 2026-03-08 (spring forward): 02:30 does not exist → 03:00 EDT
 * nextLocalMinute('America/New_York', Date.UTC(2026, 2, 8, 5), 150) === Date.UTC(2026, 2, 8, 7)
 */
export function nextLocalMinute(zone: string, from: Instant, minuteOfDay: number): Instant {
  const today = Math.floor(localWallMs(zone, from) / DAY)
  for (let d = today - 1; d <= today + 2; d++) {
    for (const t of instantsAtLocal(zone, d, minuteOfDay)) if (t >= from) return t
  }
  return from + DAY
}

/** Whether `zone` is an IANA zone known to this runtime's ICU (`America/Chicago`, `Etc/GMT+6`). */
export function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}
