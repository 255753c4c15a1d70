import type { Executor } from '../store/schema.js'
import type { Store } from '../store/store.js'
import type { AuditValue } from '../core/audit/audit-entry.js'
import { DialwardError } from '../core/errors.js'
import type { AuditLogRepo } from '../store/repos/audit-log.js'
import { changes, type ChangeTopic } from '../store/repos/changes.js'
import { refusalsRepo } from '../store/repos/refusals.js'
import { recordsSha256, RowLedger, rowLedger, type RowChange, type RowRecord } from '../store/repos/row-ledger.js'
import type { RequestContext } from './context.js'
import type { StoreWatch } from './indexes/store-watch.js'
import { crashPoint } from './crash-points.js'

/** An audited action: `<aggregate>.<verb>`, e.g. `consent.grant`, `gate.check`, `pii.read`. */
export type AuditAction = `${string}.${string}`

/** The transaction a write runs in: its executor, its instant, and the topics it changes. */
export interface WriteTx {
  readonly db: Executor
  /** The instant of the write (recorded as `recorded_at` and as the audit entry's time). */
  readonly now: number
  /**
   * Declares that this write changes `topic` (caches of other processes must be dropped); `key`
   * names what changed (a subject's blind index) so long-lived indexes reload only that.
   */
  changed(topic: ChangeTopic, key?: string): void
  /**
   * How many covered-row changes this write has made so far: a write that audits several facts
   * gives each note the mark taken after its fact (`AuditNote.rowsUpTo`), so each entry carries
   * the digest of its own rows.
   */
  rowMark(): number
}

/** What a write did, for its audit entry: the pseudonymous subject (blind index) and flat data (ids, hashes, codes; never plaintext PII). */
export interface AuditNote {
  readonly subject: string | null
  readonly data: Readonly<Record<string, AuditValue>>
  /**
   * Runs in the same transaction once the entry is appended, with its seq (a retention run
   * records the entry its receipt will prove).
   */
  readonly onAppended?: (db: Executor, seq: number) => Promise<void>
  /**
   * The end (exclusive) of this note's share of the write's covered-row changes (`WriteTx.rowMark`
   * after its fact). Omitted: a note claims nothing, except the last note, which claims the rest.
   */
  readonly rowsUpTo?: number
}

/**
 * The result of a write and its audit note — or one note per fact for a write that records several
 * facts at once (a bulk import) — or `null` when the write changed nothing (an idempotent repeat).
 */
export interface Written<T> {
  readonly result: T
  readonly audit: AuditNote | readonly AuditNote[] | null
}

/**
 * The one audited unit of work. `write` runs `fn` in a read-then-write transaction, appends the
 * audit entry of the action with the context's actor in the same transaction, bumps the change
 * counters of the topics it touched, and commits: the change and its entry exist together or not
 * at all. A write that is refused or fails is rolled back and then recorded in the refusal log
 * (actor, action, error code), outside the rolled-back transaction. No service appends audit
 * entries itself.
 */
export class UnitOfWork {
  readonly #store: Store
  readonly #audit: AuditLogRepo
  readonly #watch: StoreWatch
  readonly #clock: () => number
  readonly #ledger: RowLedger

  constructor(store: Store, audit: AuditLogRepo, watch: StoreWatch, clock: () => number, ledger: RowLedger = new RowLedger(null, store.dialect)) {
    this.#store = store
    this.#audit = audit
    this.#watch = watch
    this.#clock = clock
    this.#ledger = ledger
  }

  async write<T>(ctx: RequestContext, action: AuditAction, fn: (tx: WriteTx) => Promise<Written<T>>): Promise<T> {
    return (await this.writeEntry(ctx, action, fn)).result
  }

  /**
   * {@link write}, also returning the seq of the audit entry it appended (the first, when `fn`
   * audited several facts; `null` when it audited nothing).
   */
  async writeEntry<T>(ctx: RequestContext, action: AuditAction, fn: (tx: WriteTx) => Promise<Written<T>>): Promise<{ result: T; seq: number | null }> {
    const touched = new Map<ChangeTopic, Set<string>>()
    try {
      const result = await this.#store.dialect.writeTransaction(async (trx) => {
        const now = this.#clock()
        const changed = (topic: ChangeTopic, key?: string): void => {
          const keys = touched.get(topic) ?? new Set<string>()
          if (key !== undefined) keys.add(key)
          touched.set(topic, keys)
        }
        rowLedger.begin(trx)
        let written: Written<T>
        let rowChanges: RowChange[]
        try {
          written = await fn({ db: trx, now, changed, rowMark: () => rowLedger.mark(trx) })
        } finally {
          rowChanges = rowLedger.end(trx)
        }
        const notes = written.audit === null ? [] : Array.isArray(written.audit) ? written.audit : [written.audit as AuditNote]
        if (notes.length === 0 && rowChanges.length > 0) throw new DialwardError('INTERNAL', `${action} changed covered rows without an audit entry`)
        const records = await this.#ledger.records(trx, rowChanges)
        const shares = shareOut(notes, rowChanges.length)
        const seqs = await this.#audit.appendMany(
          trx,
          notes.map((note, i) => {
            const [from, to] = shares[i]!
            const data = to > from ? { ...note.data, ledgerRows: to - from, ledgerSha256: recordsSha256(records.slice(from, to)) } : { ...note.data }
            return { actor: ctx.actor, at: now, action, subject: note.subject, data }
          }),
        )
        await this.#ledger.commit(
          trx,
          notes.map((_, i) => {
            const [from, to] = shares[i]!
            return { seq: seqs[i]!, changes: rowChanges.slice(from, to), records: records.slice(from, to) as RowRecord[] }
          }),
        )
        for (let i = 0; i < notes.length; i++) await notes[i]!.onAppended?.(trx, seqs[i]!)
        for (const [topic, keys] of touched) await changes.bump(trx, this.#store.dialect, topic, keys, now)
        crashPoint('uow.before-commit', action)
        return { result: written.result, seq: seqs[0] ?? null }
      })
      crashPoint('uow.after-commit', action)
      for (const [topic, keys] of touched) this.#watch.changed(topic, keys)
      return result
    } catch (err) {
      await this.#refused(ctx, action, err)
      throw err
    }
  }

  async #refused(ctx: RequestContext, action: AuditAction, err: unknown): Promise<void> {
    try {
      await refusalsRepo.record(this.#store.db, {
        at: this.#clock(),
        actor: ctx.actor,
        role: ctx.role,
        requestId: ctx.requestId,
        action,
        code: err instanceof DialwardError ? err.code : 'INTERNAL',
      })
    } catch {
      // The store itself is failing: the original error is what the caller must see.
    }
  }
}

/** Each note's [from, to) share of a write's `total` changes (see `AuditNote.rowsUpTo`). */
function shareOut(notes: readonly AuditNote[], total: number): Array<[number, number]> {
  const out: Array<[number, number]> = []
  let from = 0
  notes.forEach((note, i) => {
    const to = Math.max(from, Math.min(total, note.rowsUpTo ?? (i === notes.length - 1 ? total : from)))
    out.push([from, to])
    from = to
  })
  if (out.length > 0 && from < total) out[out.length - 1]![1] = total
  return out
}
