import type { Instant } from '../time/instant.js'
import { WEEKDAY_SHORT, formatDay, formatMinute } from './civil-day.js'
import { localParts } from './local-time.js'

/**
 * A local reading for messages, e.g. `Sat 2026-12-05 07:00`.
 *
 * @example describeLocal('America/Chicago', Date.UTC(2026, 11, 5, 13)) === 'Sat 2026-12-05 07:00'
 */
export function describeLocal(zone: string, at: Instant): string {
  const p = localParts(zone, at)
  return `${WEEKDAY_SHORT[p.weekday]} ${formatDay(p.dayNumber)} ${formatMinute(p.minuteOfDay)}`
}
