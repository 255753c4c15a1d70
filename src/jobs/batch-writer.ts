import { Worker } from 'node:worker_threads'
import { fileURLToPath } from 'node:url'
import type { RequestContext } from '../app/context.js'
import type { UnitOfWork } from '../app/unit-of-work.js'
import type { DatabaseTarget } from '../store/store.js'
import type { Repositories } from '../store/repos/index.js'
import { writeBatch, type PendingDecision } from '../app/gate/decision-log.js'
import { DialwardError, type ErrorCode } from '../core/errors.js'

/** Writes one batch of decisions durably under one audit entry. */
export interface BatchWriter {
  write(ctx: RequestContext, decisions: readonly PendingDecision[]): Promise<void>
  close(): Promise<void>
}

/** Writes batches through this process's unit of work (engines whose writes do not block the event loop). */
export class InProcessBatchWriter implements BatchWriter {
  readonly #uow: UnitOfWork
  readonly #repos: Repositories

  constructor(uow: UnitOfWork, repos: Repositories) {
    this.#uow = uow
    this.#repos = repos
  }

  async write(ctx: RequestContext, decisions: readonly PendingDecision[]): Promise<void> {
    await writeBatch(this.#uow, this.#repos.decisions, ctx, decisions)
  }

  async close(): Promise<void> {}
}

/** A message to the decision-log worker, and its answer. */
export interface BatchRequest {
  readonly id: number
  readonly ctx: RequestContext
  readonly decisions: readonly PendingDecision[]
}
export type BatchAnswer = { readonly id: number; readonly ok: true } | { readonly id: number; readonly ok: false; readonly code: string; readonly message: string }

/** The worker's script, always the compiled one (workers cannot load TypeScript sources). */
const WORKER_SCRIPT = fileURLToPath(new URL('../../dist/jobs/decision-log-worker.js', import.meta.url))

/**
 * Writes batches on a worker thread with its own database connection (SQLite: a commit's fsync
 * would otherwise stall every request). The worker runs the same unit of work and batch write.
 */
export class WorkerBatchWriter implements BatchWriter {
  readonly #worker: Worker
  readonly #pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>()
  #next = 0
  #failed: Error | null = null

  constructor(target: DatabaseTarget) {
    this.#worker = new Worker(WORKER_SCRIPT, { workerData: { target } })
    this.#worker.on('message', (a: BatchAnswer) => {
      const p = this.#pending.get(a.id)
      if (!p) return
      this.#pending.delete(a.id)
      if (a.ok) p.resolve()
      else p.reject(new DialwardError(a.code as ErrorCode, a.message))
    })
    this.#worker.on('error', (err) => this.#fail(err))
    this.#worker.on('exit', (code) => this.#fail(new Error(`the decision-log worker exited (${code})`)))
  }

  write(ctx: RequestContext, decisions: readonly PendingDecision[]): Promise<void> {
    if (this.#failed) return Promise.reject(new DialwardError('STORE_UNAVAILABLE', `decision log unavailable: ${this.#failed.message}`))
    const id = this.#next++
    return new Promise<void>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject })
      this.#worker.postMessage({ id, ctx, decisions } satisfies BatchRequest)
    })
  }

  async close(): Promise<void> {
    this.#worker.removeAllListeners('exit')
    await this.#worker.terminate()
  }

  #fail(err: Error): void {
    this.#failed = err
    for (const p of this.#pending.values()) p.reject(new DialwardError('STORE_UNAVAILABLE', `decision log unavailable: ${err.message}`))
    this.#pending.clear()
  }
}
