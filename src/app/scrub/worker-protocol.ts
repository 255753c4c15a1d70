import type { ChunkResult, OutcomeCount } from './scrub-engine.js'
import type { ScrubSetup } from './scrub-setup.js'

/** Main thread → worker. */
export type WorkerRequest =
  | { readonly type: 'setup'; readonly setup: ScrubSetup }
  | { readonly type: 'chunk'; readonly id: number; readonly buf: ArrayBuffer; readonly length: number }
  | { readonly type: 'finish' }

/** A row of the run record's outcome table. */
export interface OutcomeRow {
  readonly key: string
  readonly bits: number
  readonly verdict: string
  readonly codes: string
  readonly rows: number
}

/** Worker → main thread. */
export type WorkerReply =
  | { readonly type: 'loaded' }
  | { readonly type: 'ready' }
  | ({ readonly type: 'result'; readonly id: number; readonly out: ArrayBuffer; readonly outLength: number } & Omit<ChunkResult, 'out'>)
  | { readonly type: 'counts'; readonly counts: OutcomeCount[]; readonly table: OutcomeRow[] }
  | { readonly type: 'failed'; readonly message: string }
