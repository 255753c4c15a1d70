import type { Executor } from '../schema.js'
import { rowId } from '../row-id.js'

/** A refused or failed write: who tried what, when, and the error code (never the input). */
export interface Refusal {
  readonly at: number
  readonly actor: string
  readonly role: string
  readonly requestId: string
  readonly action: string
  readonly code: string
}

/**
 * The refusal log (`audit_refusals`): writes that were refused or failed, recorded after their
 * transaction rolled back. It is kept apart from the Merkle audit log so that a refused command
 * changes no record the audit log covers.
 */
export const refusalsRepo = {
  async record(ex: Executor, r: Refusal): Promise<void> {
    await ex
      .insertInto('audit_refusals')
      .values({ id: rowId('ref'), at: r.at, actor: r.actor, role: r.role, request_id: r.requestId, action: r.action, code: r.code })
      .execute()
  },

  /** The most recent refusals, newest first. */
  async recent(ex: Executor, limit: number): Promise<Refusal[]> {
    const rows = await ex.selectFrom('audit_refusals').selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute()
    return rows.map((r) => ({ at: r.at, actor: r.actor, role: r.role, requestId: r.request_id, action: r.action, code: r.code }))
  },
}
