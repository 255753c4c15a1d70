import type { Executor } from '../schema.js'

/** A stored signed checkpoint: tree size, root (hex), time, and the signed note text. */
export interface StoredCheckpoint {
  readonly size: number
  readonly rootHex: string
  readonly time: number
  readonly note: string
}

/** Signed checkpoints of the audit log (`audit_checkpoints`), one per signed tree size. */
export const checkpointsRepo = {
  /** Every stored checkpoint, oldest first. */
  async list(ex: Executor): Promise<StoredCheckpoint[]> {
    const rows = await ex.selectFrom('audit_checkpoints').selectAll().orderBy('size').execute()
    return rows.map((r) => ({ size: r.size, rootHex: r.root, time: r.time, note: r.note }))
  },

  /** The newest checkpoint, or `null` before the first. */
  async latest(ex: Executor): Promise<StoredCheckpoint | null> {
    const r = await ex.selectFrom('audit_checkpoints').selectAll().orderBy('size', 'desc').executeTakeFirst()
    return r ? { size: r.size, rootHex: r.root, time: r.time, note: r.note } : null
  },

  /** Stores a checkpoint; one already stored for the same size is kept (signing is idempotent). */
  async insert(trx: Executor, cp: StoredCheckpoint): Promise<void> {
    await trx
      .insertInto('audit_checkpoints')
      .values({ size: cp.size, root: cp.rootHex, time: cp.time, note: cp.note })
      .onConflict((oc) => oc.column('size').doNothing())
      .execute()
  },
}
