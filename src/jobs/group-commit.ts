import type { RequestContext } from '../app/context.js'
import type { DecisionLog, PendingDecision } from '../app/gate/decision-log.js'
import type { BatchWriter } from './batch-writer.js'
import { crashPoint } from '../app/crash-points.js'

interface Waiting {
  readonly ctx: RequestContext
  readonly decisions: readonly PendingDecision[]
  readonly done: (err: Error | null) => void
}

/**
 * Group commit of the decision log (the server): decisions queue, and one unit of work per actor
 * commits everything queued every `intervalMs` (or as soon as `maxRows` wait), under one
 * `gate.check.batch` audit entry with the rows' digest. Each caller's promise resolves only when
 * its decisions are committed (durable), and rejects when their commit failed — the answer is then
 * an error, never an unlogged `allow`.
 */
export class GroupCommit implements DecisionLog {
  readonly #writer: BatchWriter
  readonly #intervalMs: number
  readonly #maxRows: number
  readonly #onBatch: (rows: number) => void
  #queue: Waiting[] = []
  #rows = 0
  #timer: NodeJS.Timeout | null = null
  #running: Promise<void> = Promise.resolve()

  constructor(writer: BatchWriter, options: { intervalMs?: number; maxRows?: number; onBatch?: (rows: number) => void } = {}) {
    this.#writer = writer
    this.#intervalMs = options.intervalMs ?? 2
    this.#maxRows = options.maxRows ?? 2_000
    this.#onBatch = options.onBatch ?? (() => {})
  }

  append(ctx: RequestContext, decisions: readonly PendingDecision[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ ctx, decisions, done: (err) => (err ? reject(err) : resolve()) })
      this.#rows += decisions.length
      if (this.#rows >= this.#maxRows) this.#kick(0)
      else this.#kick(this.#intervalMs)
    })
  }

  async flush(): Promise<void> {
    this.#kick(0)
    await this.#running
    await this.#writer.close()
  }

  #kick(delay: number): void {
    if (delay === 0) {
      if (this.#timer) clearTimeout(this.#timer)
      this.#timer = null
      this.#running = this.#running.then(() => this.#commit())
      return
    }
    if (this.#timer) return
    this.#timer = setTimeout(() => {
      this.#timer = null
      this.#running = this.#running.then(() => this.#commit())
    }, delay)
  }

  async #commit(): Promise<void> {
    const queue = this.#queue
    if (queue.length === 0) return
    this.#queue = []
    this.#rows = 0
    const byActor = new Map<string, Waiting[]>()
    for (const w of queue) {
      const key = `${w.ctx.actor}\u0000${w.ctx.role}`
      byActor.set(key, [...(byActor.get(key) ?? []), w])
    }
    for (const group of byActor.values()) {
      const decisions = group.flatMap((w) => w.decisions)
      try {
        crashPoint('group-commit.before-write')
        await this.#writer.write(group[0]!.ctx, decisions)
        crashPoint('group-commit.after-write')
        this.#onBatch(decisions.length)
        for (const w of group) w.done(null)
      } catch (err) {
        for (const w of group) w.done(err instanceof Error ? err : new Error(String(err)))
      }
    }
  }
}
