import type { RequestContext } from '../app/context.js'
import type { PolicyChoice, PurgeResult, RetentionService } from '../app/services/retention.js'

/**
 * The longest delay one timer can hold: Node keeps it as a signed 32-bit count of milliseconds
 * (about 24.8 days), and a longer delay fires after 1 ms instead.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1

/** Sleeps up to `ms` (never more than {@link MAX_TIMER_MS}); resolves early when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>

/** One real timer, cut short by `signal`. */
export const timerSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve()
    const onAbort = (): void => {
      clearTimeout(timer)
      resolve()
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, Math.min(ms, MAX_TIMER_MS))
    signal?.addEventListener('abort', onAbort, { once: true })
  })

/** How the schedule waits: its sleep, its clock and its stop signal (tests inject the first two). */
export interface Waiting {
  readonly signal?: AbortSignal | undefined
  readonly sleep?: Sleep | undefined
  readonly clock?: (() => number) | undefined
}

/**
 * Waits `ms` of any length: sleeps in chunks a timer can hold until `clock` reaches the deadline,
 * or until `signal` aborts. (A single timer of 25 days or more would fire at once.)
 */
export async function waitFor(ms: number, w: Waiting = {}): Promise<void> {
  const clock = w.clock ?? Date.now
  const sleep = w.sleep ?? timerSleep
  const deadline = clock() + ms
  for (;;) {
    if (w.signal?.aborted) return
    const left = deadline - clock()
    if (left <= 0) return
    await sleep(Math.min(left, MAX_TIMER_MS), w.signal)
  }
}

/** What the schedule runs. */
export interface ScheduleInput extends PolicyChoice {
  /** Milliseconds between the end of one purge and the start of the next. */
  readonly every: number
  /** Stop after this many purges (default: until stopped). */
  readonly runs?: number | null | undefined
}

/**
 * The retention schedule as a job: purges now, then again every interval, until `runs` purges
 * were made or `signal` aborts; each result goes to `report`. The CLI's `retention schedule` runs
 * it in the foreground; a server runs it beside its requests. Each purge re-reads the policy, so
 * an edited policy file applies from the next run. Returns the number of purges made.
 */
export async function runRetentionSchedule(
  retention: Pick<RetentionService, 'purge'>,
  ctx: RequestContext,
  input: ScheduleInput,
  report: (r: PurgeResult) => void,
  w: Waiting = {},
): Promise<number> {
  const max = input.runs ?? Number.POSITIVE_INFINITY
  let done = 0
  while (done < max && !w.signal?.aborted) {
    report(await retention.purge(ctx, { policyFile: input.policyFile }))
    done++
    if (done >= max) break
    await waitFor(input.every, w)
  }
  return done
}
