import { createHash, randomBytes } from 'node:crypto'
import { formatInstant } from '../../core/time/instant.js'
import type { DecisionRow, DecisionsRepo } from '../../store/repos/decisions.js'
import type { Repositories } from '../../store/repos/index.js'
import type { RequestContext } from '../context.js'
import type { UnitOfWork } from '../unit-of-work.js'

/** A decision to log: its row (without `source` and `decided_at`, set when it is written). */
export type PendingDecision = Omit<DecisionRow, 'source' | 'decided_at'>

/**
 * Where decisions are written. `append` resolves once they are durable: an answer is sent only
 * after its decision is in the decision log with an audit entry covering it.
 */
export interface DecisionLog {
  append(ctx: RequestContext, decisions: readonly PendingDecision[]): Promise<void>
  /** Writes whatever is pending (graceful shutdown). */
  flush(): Promise<void>
}

/** SHA-256 over the canonical JSON of the rows, in the order given: the audit entry's hash of the data it covers. */
export function rowsDigest(rows: readonly DecisionRow[]): string {
  const h = createHash('sha256')
  for (const r of rows) h.update(`${JSON.stringify([r.id, r.phone_bidx, r.campaign_id, r.source, r.at, r.verdict, r.reasons, r.next_allowed_at, r.versions, r.decided_at])}\n`)
  return h.digest('hex')
}

/**
 * Writes each call's decisions in its own unit of work (the command line): one decision gets a
 * `gate.check` entry naming it; several get one `gate.check.batch` entry (rows' `source` = the
 * batch id, with the count and the rows' digest).
 */
export class DirectDecisionLog implements DecisionLog {
  readonly #uow: UnitOfWork
  readonly #repos: Repositories

  constructor(uow: UnitOfWork, repos: Repositories) {
    this.#uow = uow
    this.#repos = repos
  }

  async append(ctx: RequestContext, decisions: readonly PendingDecision[]): Promise<void> {
    if (decisions.length === 1) {
      const d = decisions[0]!
      await this.#uow.write(ctx, 'gate.check', async (tx) => {
        await this.#repos.decisions.insert(tx.db, { ...d, source: 'check', decided_at: tx.now })
        const reasons = (JSON.parse(d.reasons) as Array<{ code: string }>).map((r) => r.code).join(';')
        return { result: null, audit: { subject: d.phone_bidx, data: { decision: d.id, campaign: d.campaign_id, at: formatInstant(d.at), verdict: d.verdict, reasons } } }
      })
      return
    }
    await writeBatch(this.#uow, this.#repos.decisions, ctx, decisions)
  }

  async flush(): Promise<void> {}
}

/** One unit of work writing many decisions under one `gate.check.batch` audit entry. */
export async function writeBatch(uow: UnitOfWork, log: DecisionsRepo, ctx: RequestContext, decisions: readonly PendingDecision[]): Promise<string> {
  const id = randomBytes(16).toString('hex')
  const batch = `batch_${id}`
  await uow.write(ctx, 'gate.check.batch', async (tx) => {
    const rows: DecisionRow[] = decisions.map((d) => ({ ...d, source: batch, decided_at: tx.now }))
    await log.insertMany(tx.db, rows)
    const allowed = rows.filter((r) => r.verdict === 'allow').length
    // the entry is about its batch (subject: the batch id's hex part): evidence finds it from the rows' `source`
    return { result: null, audit: { subject: id, data: { batch, decisions: rows.length, allowed, blocked: rows.length - allowed, rowsSha256: rowsDigest(rows) } } }
  })
  return batch
}
