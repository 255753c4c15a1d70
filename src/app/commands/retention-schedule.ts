import { invalidInput } from '../../core/errors.js'
import { DAY, HOUR, MINUTE } from '../../core/time/instant.js'
import type { App } from '../open-app.js'
import { runPurge, type PurgeResult } from '../retention/purge-run.js'
import { policyFor } from './retention-run.js'

/** Parses an interval such as `30m`, `6h`, `1d` (at least one minute). */
export function parseInterval(field: string, value: unknown): number {
  const m = typeof value === 'string' ? /^(\d{1,6})([mhd])$/.exec(value.trim()) : null
  if (!m) throw invalidInput(field, 'must be a whole number followed by m, h or d (e.g. 1d)')
  const ms = Number(m[1]) * (m[2] === 'm' ? MINUTE : m[2] === 'h' ? HOUR : DAY)
  if (ms < MINUTE) throw invalidInput(field, 'must be at least 1m')
  return ms
}

/**
 * `retention schedule`: runs a purge now and then every interval until stopped (or `--runs N`
 * purges). `dialward serve` runs the same loop. Each run reports through `report`.
 */
export async function retentionSchedule(app: App, input: { [flag: string]: unknown; every?: unknown; runs?: unknown; policy?: unknown }, report: (r: PurgeResult) => void, signal?: AbortSignal): Promise<number> {
  const every = parseInterval('--every', input.every ?? '1d')
  const max = input.runs === undefined ? Number.POSITIVE_INFINITY : Number(input.runs)
  if (!(max >= 1) || (Number.isFinite(max) && !Number.isInteger(max))) throw invalidInput('--runs', 'must be a whole number of at least 1')
  let done = 0
  while (done < max && !signal?.aborted) {
    report(await runPurge(app, { at: app.now(), dryRun: false, policy: policyFor(app, input) }))
    done++
    if (done >= max) break
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, every)
      signal?.addEventListener('abort', () => {
        clearTimeout(t)
        resolve()
      })
    })
  }
  return done
}
