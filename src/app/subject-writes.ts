import type { Phone } from '../core/phone/phone.js'
import type { AuditValue } from '../core/audit/audit-entry.js'
import type { Subject, SubjectsRepo } from '../store/repos/subjects.js'
import type { RequestContext } from './context.js'
import type { AuditAction, AuditNote, UnitOfWork, WriteTx } from './unit-of-work.js'

/** What a fact about a subject recorded: the service's result and the ids and values its audit entry carries. */
export interface SubjectFact<T> {
  readonly result: T
  readonly data: Readonly<Record<string, AuditValue>>
}

/**
 * Records one fact about the subject of a number (a grant, a revocation, a do-not-call request, a
 * reassigned result, a call): one audited unit of work that finds or creates the subject, lets
 * `fn` write its row, and audits it under the subject's blind index. Every such write changes the
 * `subjects` topic.
 */
export class SubjectWrites {
  readonly #uow: UnitOfWork
  readonly #subjects: SubjectsRepo

  constructor(uow: UnitOfWork, subjects: SubjectsRepo) {
    this.#uow = uow
    this.#subjects = subjects
  }

  /**
   * Records many facts in one unit of work (a bulk import chunk): each gets its own subject lookup,
   * its own row and its own audit entry, exactly as if recorded one by one, committed together.
   */
  recordMany<I, T>(ctx: RequestContext, action: AuditAction, items: readonly I[], phoneOf: (item: I) => Phone, fn: (tx: WriteTx, subject: Subject, item: I) => Promise<SubjectFact<T>>): Promise<T[]> {
    return this.#uow.write(ctx, action, async (tx) => {
      const results: T[] = []
      const notes: AuditNote[] = []
      for (const item of items) {
        const subject = await this.#subjects.ensure(tx.db, phoneOf(item), tx.now)
        const fact = await fn(tx, subject, item)
        tx.changed('subjects', subject.bidx)
        results.push(fact.result)
        notes.push({ subject: subject.bidx, data: fact.data, rowsUpTo: tx.rowMark() })
      }
      return { result: results, audit: notes }
    })
  }

  record<T>(ctx: RequestContext, action: AuditAction, phone: Phone, fn: (tx: WriteTx, subject: Subject) => Promise<SubjectFact<T>>): Promise<T> {
    return this.#uow.write(ctx, action, async (tx) => {
      const subject = await this.#subjects.ensure(tx.db, phone, tx.now)
      const fact = await fn(tx, subject)
      tx.changed('subjects', subject.bidx)
      return { result: fact.result, audit: { subject: subject.bidx, data: fact.data } }
    })
  }
}
