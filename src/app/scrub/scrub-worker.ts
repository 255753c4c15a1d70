/**
 * A scrub worker thread: builds the engine from the setup it is started with, then scrubs the
 * chunks the main thread sends, in order, and sends each result back (buffers transferred, not
 * copied). On `finish` it reports its outcome counts.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { engineFrom, type ScrubSetup } from './scrub-setup.js'
import type { WorkerReply, WorkerRequest } from './worker-protocol.js'

const port = parentPort!
try {
  const engine = engineFrom(workerData as ScrubSetup)
  port.on('message', (msg: WorkerRequest) => {
    try {
      if (msg.type === 'finish') {
        const reply: WorkerReply = { type: 'counts', counts: engine.counts(), table: engine.outcomeTable() }
        port.postMessage(reply)
        return
      }
      const input = new Uint8Array(msg.buf, 0, msg.length)
      const r = engine.process(input, 0, msg.length)
      const out = r.out.buffer as ArrayBuffer
      const reply: WorkerReply = { type: 'result', id: msg.id, out, outLength: r.out.length, rows: r.rows, lines: r.lines, error: r.error, records: r.records }
      port.postMessage(reply, [out])
    } catch (err) {
      port.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err) } satisfies WorkerReply)
    }
  })
  port.postMessage({ type: 'ready' } satisfies WorkerReply)
} catch (err) {
  port.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err) } satisfies WorkerReply)
}
