/**
 * A scrub worker thread: it loads its modules as soon as it starts (while the main thread reads
 * the database), builds the engine from the setup it is then sent, scrubs the chunks the main
 * thread sends, in order, and sends each result back (buffers transferred, not copied). On
 * `finish` it reports its outcome counts.
 */
import { parentPort } from 'node:worker_threads'
import { engineFrom } from './scrub-setup.js'
import type { ScrubEngine } from './scrub-engine.js'
import type { WorkerReply, WorkerRequest } from './worker-protocol.js'

const port = parentPort!
let engine: ScrubEngine | null = null
const fail = (err: unknown): void => port.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err) } satisfies WorkerReply)
port.on('message', (msg: WorkerRequest) => {
  try {
    if (msg.type === 'setup') {
      engine = engineFrom(msg.setup)
      port.postMessage({ type: 'ready' } satisfies WorkerReply)
      return
    }
    if (engine === null) throw new Error('no setup')
    if (msg.type === 'finish') {
      port.postMessage({ type: 'counts', counts: engine.counts(), table: engine.outcomeTable() } satisfies WorkerReply)
      return
    }
    const r = engine.process(new Uint8Array(msg.buf, 0, msg.length), 0, msg.length)
    // an exact copy goes back; the engine keeps its (larger) output buffer for the next chunk
    const out = r.out.slice().buffer as ArrayBuffer
    const reply: WorkerReply = { type: 'result', id: msg.id, out, outLength: r.out.length, rows: r.rows, lines: r.lines, error: r.error, records: r.records }
    port.postMessage(reply, [out])
  } catch (err) {
    fail(err)
  }
})
port.postMessage({ type: 'loaded' } satisfies WorkerReply)
