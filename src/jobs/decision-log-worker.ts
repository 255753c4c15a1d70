/**
 * The decision-log worker thread (see batch-writer.ts): opens its own connection to the store and
 * writes each batch it is sent through the same unit of work and batch write as the main thread,
 * answering when the batch is durable.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { openStore, type DatabaseTarget } from '../store/store.js'
import { AuditLogRepo } from '../store/repos/audit-log.js'
import { DecisionsRepo } from '../store/repos/decisions.js'
import { UnitOfWork } from '../app/unit-of-work.js'
import { StoreWatch } from '../app/indexes/store-watch.js'
import { writeBatch } from '../app/gate/decision-log.js'
import { DialwardError } from '../core/errors.js'
import type { BatchAnswer, BatchRequest } from './batch-writer.js'

const { target } = workerData as { target: DatabaseTarget }
const store = await openStore(target)
const uow = new UnitOfWork(store, new AuditLogRepo(store.dialect), new StoreWatch(), Date.now)
const decisions = new DecisionsRepo(store.dialect)

parentPort!.on('message', (req: BatchRequest) => {
  writeBatch(uow, decisions, req.ctx, req.decisions).then(
    () => parentPort!.postMessage({ id: req.id, ok: true } satisfies BatchAnswer),
    (err: unknown) =>
      parentPort!.postMessage({
        id: req.id,
        ok: false,
        code: err instanceof DialwardError ? err.code : 'STORE_UNAVAILABLE',
        message: err instanceof Error ? err.message.split('\n')[0]! : String(err),
      } satisfies BatchAnswer),
  )
})
