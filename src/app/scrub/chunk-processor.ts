import { Worker } from 'node:worker_threads'
import type { ChunkResult, OutcomeCount, ScrubEngine } from './scrub-engine.js'
import type { ScrubSetup } from './scrub-setup.js'
import type { OutcomeRow, WorkerReply, WorkerRequest } from './worker-protocol.js'

/** Scrubs chunks in order, in this thread or in worker threads. */
export interface ChunkProcessor {
  /** Worker threads in use (0: this thread). */
  readonly threads: number
  /** Scrubs one chunk; results come back in the order chunks were submitted. */
  submit(chunk: Uint8Array): Promise<ChunkResult>
  /** Every outcome's row count and the outcome table (after the last result). */
  finish(): Promise<{ counts: OutcomeCount[]; table: OutcomeRow[] }>
  close(): Promise<void>
}

/** Whether worker threads can be started (the compiled JavaScript is present, not TypeScript sources run by a test runner). */
export function workersAvailable(): boolean {
  return import.meta.url.endsWith('.js')
}

/** The engine in this thread (a result's bytes must be used before the next submit). */
export function inThisThread(engine: ScrubEngine): ChunkProcessor {
  return {
    threads: 0,
    submit: async (chunk) => engine.process(chunk, 0, chunk.length),
    finish: async () => ({ counts: engine.counts(), table: engine.outcomeTable() }),
    close: async () => undefined,
  }
}

/** `threads` worker threads, each with its own engine built from `setup`, chunks handed out in turn. */
export async function inWorkers(setup: ScrubSetup, threads: number): Promise<ChunkProcessor> {
  const url = new URL('./scrub-worker.js', import.meta.url)
  const workers: Array<{ worker: Worker; pending: Array<{ resolve: (r: WorkerReply) => void; reject: (e: Error) => void }> }> = []
  const started: Array<Promise<void>> = []
  for (let k = 0; k < threads; k++) {
    const worker = new Worker(url, { workerData: setup })
    const slot = { worker, pending: [] as Array<{ resolve: (r: WorkerReply) => void; reject: (e: Error) => void }> }
    workers.push(slot)
    started.push(
      new Promise<void>((resolve, reject) => {
        const first = (msg: WorkerReply): void => {
          if (msg.type === 'ready') resolve()
          else reject(new Error(`scrub worker failed to start: ${msg.type === 'failed' ? msg.message : msg.type}`))
          worker.off('message', first)
          worker.on('message', (m: WorkerReply) => {
            const waiter = slot.pending.shift()
            if (m.type === 'failed') waiter?.reject(new Error(`scrub worker: ${m.message}`))
            else waiter?.resolve(m)
          })
        }
        worker.on('message', first)
        worker.once('error', (err) => {
          reject(err)
          for (const w of slot.pending.splice(0)) w.reject(err)
        })
      }),
    )
  }
  const ask = (slot: (typeof workers)[number], msg: WorkerRequest, transfer: ArrayBuffer[] = []): Promise<WorkerReply> =>
    new Promise((resolve, reject) => {
      slot.pending.push({ resolve, reject })
      slot.worker.postMessage(msg, transfer)
    })
  try {
    await Promise.all(started)
  } catch (err) {
    await Promise.all(workers.map((w) => w.worker.terminate()))
    throw err
  }
  let next = 0
  let id = 0
  return {
    threads,
    async submit(chunk) {
      const slot = workers[next]!
      next = (next + 1) % workers.length
      const buf = chunk.buffer as ArrayBuffer
      const whole = chunk.byteOffset === 0 && chunk.byteLength === buf.byteLength
      const owned = whole ? buf : (chunk.slice().buffer as ArrayBuffer)
      const r = await ask(slot, { type: 'chunk', id: id++, buf: owned, length: chunk.byteLength }, [owned])
      if (r.type !== 'result') throw new Error('scrub worker: unexpected reply')
      return { out: new Uint8Array(r.out, 0, r.outLength), rows: r.rows, lines: r.lines, error: r.error, records: r.records }
    },
    async finish() {
      const all = await Promise.all(workers.map((w) => ask(w, { type: 'finish' })))
      const counts: OutcomeCount[] = []
      const table: OutcomeRow[] = []
      for (const r of all) {
        if (r.type !== 'counts') throw new Error('scrub worker: unexpected reply')
        counts.push(...r.counts)
        table.push(...r.table)
      }
      return { counts, table }
    },
    async close() {
      await Promise.all(workers.map((w) => w.worker.terminate()))
    },
  }
}
