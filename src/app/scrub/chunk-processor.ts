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

interface Slot {
  readonly worker: Worker
  readonly pending: Array<{ resolve: (r: WorkerReply) => void; reject: (e: Error) => void }>
}

/** Worker threads that are loading their modules; `configure` hands them the setup and makes the processor. */
export interface StartingWorkers {
  configure(setup: ScrubSetup): Promise<ChunkProcessor>
  close(): Promise<void>
}

/**
 * Starts `threads` worker threads at once, so they load their modules while this thread reads the
 * database; each then builds its own engine from the setup and takes chunks in turn.
 */
export function startWorkers(threads: number): StartingWorkers {
  const url = new URL('./scrub-worker.js', import.meta.url)
  const slots: Slot[] = []
  for (let k = 0; k < threads; k++) {
    const worker = new Worker(url)
    const slot: Slot = { worker, pending: [] }
    worker.on('message', (m: WorkerReply) => {
      if (m.type === 'loaded') return
      const waiter = slot.pending.shift()
      if (m.type === 'failed') waiter?.reject(new Error(`scrub worker: ${m.message}`))
      else waiter?.resolve(m)
    })
    worker.on('error', (err) => {
      for (const w of slot.pending.splice(0)) w.reject(err)
    })
    slots.push(slot)
  }
  const ask = (slot: Slot, msg: WorkerRequest, transfer: ArrayBuffer[] = []): Promise<WorkerReply> =>
    new Promise((resolve, reject) => {
      slot.pending.push({ resolve, reject })
      slot.worker.postMessage(msg, transfer)
    })
  const close = async (): Promise<void> => {
    await Promise.all(slots.map((s) => s.worker.terminate()))
  }
  return {
    close,
    async configure(setup) {
      const ready = await Promise.all(slots.map((s) => ask(s, { type: 'setup', setup })))
      if (ready.some((r) => r.type !== 'ready')) throw new Error('scrub worker failed to start')
      let next = 0
      let id = 0
      return {
        threads,
        async submit(chunk) {
          const slot = slots[next]!
          next = (next + 1) % slots.length
          const buf = chunk.buffer as ArrayBuffer
          const owned = chunk.byteOffset === 0 && chunk.byteLength === buf.byteLength ? buf : (chunk.slice().buffer as ArrayBuffer)
          const r = await ask(slot, { type: 'chunk', id: id++, buf: owned, length: chunk.byteLength }, [owned])
          if (r.type !== 'result') throw new Error('scrub worker: unexpected reply')
          return { out: new Uint8Array(r.out, 0, r.outLength), rows: r.rows, lines: r.lines, error: r.error, records: r.records }
        },
        async finish() {
          const all = await Promise.all(slots.map((s) => ask(s, { type: 'finish' })))
          const counts: OutcomeCount[] = []
          const table: OutcomeRow[] = []
          for (const r of all) {
            if (r.type !== 'counts') throw new Error('scrub worker: unexpected reply')
            // one at a time: a spread of a long table overflows the call stack
            for (const c of r.counts) counts.push(c)
            for (const t of r.table) table.push(t)
          }
          return { counts, table }
        },
        close,
      }
    },
  }
}
