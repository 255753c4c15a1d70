import { MINUTE } from '../core/time/instant.js'

/**
 * Counts failed authentications per client address in fixed one-minute windows. Past the limit,
 * further failures from that address are answered 429 with the seconds until the window ends
 * (and are no longer recorded). A valid key always passes: the limit protects the refusal log and
 * the server, and 256-bit secrets need no lock-out.
 */
export class FailedAuthLimiter {
  readonly #limit: number
  readonly #windows = new Map<string, { start: number; failures: number }>()

  constructor(limit = 20) {
    this.#limit = limit
  }

  /** Records one failure at `now`; returns `null` while under the limit, else the seconds to wait. */
  fail(client: string, now: number): number | null {
    let w = this.#windows.get(client)
    if (!w || now - w.start >= MINUTE) {
      if (this.#windows.size > 10_000) this.#sweep(now)
      w = { start: now, failures: 0 }
      this.#windows.set(client, w)
    }
    w.failures++
    return w.failures > this.#limit ? Math.max(1, Math.ceil((w.start + MINUTE - now) / 1000)) : null
  }

  #sweep(now: number): void {
    for (const [k, w] of this.#windows) if (now - w.start >= MINUTE) this.#windows.delete(k)
  }
}
