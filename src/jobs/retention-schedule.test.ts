import { afterEach, describe, expect, it, vi } from 'vitest'
import { requestContext } from '../app/context.js'
import type { PurgeResult } from '../app/services/retention.js'
import { MAX_TIMER_MS, runRetentionSchedule, waitFor, type Sleep } from './retention-schedule.js'

const DAY = 86_400_000
const ctx = requestContext('test', 'admin')

/** A purge that only counts its calls. */
function countingPurge(): { purge: () => Promise<PurgeResult>; calls: () => number } {
  let n = 0
  const purge = async (): Promise<PurgeResult> => {
    n++
    return { runId: `run_${n}`, at: '2026-12-01T00:00:00Z', dryRun: false, resumed: false, deleted: {}, keysDestroyed: 0, suppressionEntriesAdded: 0, kept: [], receipt: null, physicalScrubComplete: true, completedEarlierRuns: [] }
  }
  return { purge, calls: () => n }
}

/** A sleep on a fake clock: records every requested delay and moves the clock by it. */
function fakeSleep(): { sleep: Sleep; clock: () => number; delays: number[] } {
  let now = 0
  const delays: number[] = []
  return {
    sleep: async (ms) => {
      delays.push(ms)
      now += ms
    },
    clock: () => now,
    delays,
  }
}

describe('waitFor', () => {
  it.each([1, 60_000, MAX_TIMER_MS - 1, MAX_TIMER_MS, MAX_TIMER_MS + 1, 25 * DAY, 30 * DAY, 365 * DAY, 3_650 * DAY])('waits %d ms in timer-sized chunks that add up to it', async (ms) => {
    const f = fakeSleep()
    await waitFor(ms, { sleep: f.sleep, clock: f.clock })
    for (const d of f.delays) {
      expect(d).toBeGreaterThan(0)
      expect(d).toBeLessThanOrEqual(MAX_TIMER_MS)
    }
    expect(f.delays.reduce((a, b) => a + b, 0)).toBe(ms)
    expect(f.delays).toHaveLength(Math.ceil(ms / MAX_TIMER_MS))
  })

  it('keeps waiting when a timer fires early, until the clock reaches the deadline', async () => {
    let now = 0
    const delays: number[] = []
    await waitFor(10 * DAY, {
      clock: () => now,
      sleep: async (ms) => {
        delays.push(ms)
        now += Math.ceil(ms / 2)
      },
    })
    expect(now).toBeGreaterThanOrEqual(10 * DAY)
    expect(delays.length).toBeGreaterThan(1)
  })

  it('returns at once when aborted', async () => {
    const f = fakeSleep()
    const stop = new AbortController()
    stop.abort()
    await waitFor(30 * DAY, { sleep: f.sleep, clock: f.clock, signal: stop.signal })
    expect(f.delays).toEqual([])
  })
})

describe('runRetentionSchedule', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('purges now and then after every interval, --runs times, waiting the whole interval between', async () => {
    const p = countingPurge()
    const f = fakeSleep()
    const reported: string[] = []
    const done = await runRetentionSchedule({ purge: p.purge }, ctx, { every: 30 * DAY, runs: 3 }, (r) => reported.push(r.runId!), { sleep: f.sleep, clock: f.clock })
    expect(done).toBe(3)
    expect(reported).toEqual(['run_1', 'run_2', 'run_3'])
    // two waits of 30 days, none of its timers longer than a timer can hold
    expect(f.clock()).toBe(60 * DAY)
    expect(Math.max(...f.delays)).toBeLessThanOrEqual(MAX_TIMER_MS)
  })

  // Node (and the fake timers, which copy it) fire a timer longer than 2^31-1 ms after 1 ms: a
  // single setTimeout of 30 days made the schedule purge in a tight loop.
  it.each([25, 30, 90])('with Node timer semantics (a delay over 2^31-1 ms fires after 1 ms), --every %dd purges once, then waits the whole interval', async (days) => {
    vi.useFakeTimers()
    const p = countingPurge()
    const stop = new AbortController()
    const running = runRetentionSchedule({ purge: p.purge }, ctx, { every: days * DAY, runs: 3 }, () => undefined, { signal: stop.signal })
    await vi.advanceTimersByTimeAsync(1_000)
    expect(p.calls()).toBe(1)
    await vi.advanceTimersByTimeAsync(days * DAY - 2_000)
    expect(p.calls()).toBe(1)
    await vi.advanceTimersByTimeAsync(2_000)
    expect(p.calls()).toBe(2)
    stop.abort()
    expect(await running).toBe(2)
  })

  it('stops when aborted during a wait', async () => {
    const p = countingPurge()
    const stop = new AbortController()
    const running = runRetentionSchedule({ purge: p.purge }, ctx, { every: DAY }, () => stop.abort(), { signal: stop.signal })
    expect(await running).toBe(1)
  })
})
