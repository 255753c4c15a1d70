import { formatInstant } from '../../core/time/instant.js'
import { mergeContact, newContact, type ContactValues } from '../../core/contacts/contact-values.js'
import type { Repositories } from '../../store/repos/index.js'
import type { DataKey } from '../../store/repos/data-keys.js'
import type { Subject } from '../../store/repos/subjects.js'
import type { ContactRow } from '../../store/repos/subject-records.js'
import type { RequestContext } from '../context.js'
import type { AuditNote, UnitOfWork } from '../unit-of-work.js'
import type { ParsedLead, QuarantinedLead } from './lead-parser.js'

/** What one import is: its id, purpose, and the data key of its quarantine once one row was quarantined. */
export interface ImportScope {
  readonly importId: string
  readonly purpose: string
  quarantineKey: DataKey | null
}

/** What one committed chunk did. */
export interface ChunkOutcome {
  readonly stored: number
  readonly merged: number
  readonly quarantined: number
}

/** The contact a chunk ends with for one number, and the rows that made it. */
interface Pending {
  readonly subject: Subject
  readonly key: DataKey | null
  readonly row: ContactRow<true> | null
  values: ContactValues
  verifiedAt: number
  id: string | null
  readonly facts: Array<{ row: number; op: 'create' | 'merge'; updated: readonly string[]; keptNewer: readonly string[]; verifiedAt: number }>
}

/**
 * Writes one chunk of an import in one audited unit of work: finds or creates the numbers'
 * subjects in bulk, merges each row into the contact of its number and purpose (one stored
 * earlier, or one an earlier row of the chunk made), keeping the most recently verified value of
 * each field, inserts new contacts and updates merged ones, and quarantines the refused rows.
 * Every row is one fact with its own audit entry: `create`, `merge` (which fields it updated and
 * which newer ones it kept) or `quarantine` (the reason; the number never appears).
 */
export async function writeChunk(uow: UnitOfWork, repos: Repositories, ctx: RequestContext, scope: ImportScope, leads: readonly ParsedLead[], refused: readonly QuarantinedLead[]): Promise<ChunkOutcome> {
  const { result, key } = await uow.write(ctx, 'contact.import', async (tx) => {
    const { subjects, created } = await repos.subjects.ensureMany(tx.db, leads.map((l) => l.phone), tx.now)
    const bidxOf = new Map<ParsedLead, string>()
    for (const l of leads) bidxOf.set(l, repos.subjects.bidxOf(l.phone))
    const preexisting = [...subjects.values()].filter((s) => !created.has(s.bidx)).map((s) => s.id)
    const stored = await repos.contacts.forSubjects(tx.db, preexisting, scope.purpose)
    const pending = new Map<string, Pending>()
    let merged = 0
    let fresh = 0
    for (const lead of leads) {
      const bidx = bidxOf.get(lead)!
      let p = pending.get(bidx)
      if (p === undefined) {
        const subject = subjects.get(bidx)!
        const row = stored.get(subject.id) ?? null
        const values = row === null ? {} : await repos.contacts.openValues(tx.db, row)
        p = { subject, key: created.get(bidx) ?? null, row, values, verifiedAt: row?.verified_at ?? lead.verifiedAt, id: row?.id ?? null, facts: [] }
        pending.set(bidx, p)
        if (row === null) {
          p.values = newContact(lead.values, lead.verifiedAt)
          p.verifiedAt = lead.verifiedAt
          p.facts.push({ row: lead.row, op: 'create', updated: Object.keys(lead.values).sort(), keptNewer: [], verifiedAt: lead.verifiedAt })
          fresh++
          continue
        }
      }
      const m = mergeContact(p.values, p.verifiedAt, lead.values, lead.verifiedAt)
      p.values = m.values
      p.verifiedAt = m.verifiedAt
      p.facts.push({ row: lead.row, op: 'merge', updated: m.updated, keptNewer: m.keptNewer, verifiedAt: lead.verifiedAt })
      merged++
    }
    const inserts = [...pending.values()].filter((p) => p.row === null)
    const ids = await repos.contacts.insertMany(
      tx.db,
      inserts.map((p) => ({ subject: p.subject, key: p.key, purpose: scope.purpose, verifiedAt: p.verifiedAt, values: p.values })),
      tx.now,
    )
    inserts.forEach((p, i) => (p.id = ids[i]!))
    for (const p of pending.values()) if (p.row !== null) await repos.contacts.update(tx.db, p.row, p.subject, p.values, p.verifiedAt, tx.now)

    const notes: Array<AuditNote & { row: number }> = []
    for (const p of pending.values()) {
      tx.changed('subjects', p.subject.bidx)
      for (const f of p.facts) {
        notes.push({
          row: f.row,
          subject: p.subject.bidx,
          data: {
            import: scope.importId,
            row: f.row,
            op: f.op,
            contact: p.id!,
            purpose: scope.purpose,
            verifiedAt: formatInstant(f.verifiedAt),
            fields: f.updated.join(','),
            ...(f.op === 'merge' ? { keptNewer: f.keptNewer.join(',') } : {}),
          },
        })
      }
    }
    let key = scope.quarantineKey
    if (refused.length > 0) {
      key ??= await repos.dataKeys.create(tx.db, 'quarantine', tx.now)
      const qids = await repos.quarantine.addMany(
        tx.db,
        scope.importId,
        key,
        refused.map((q) => ({ row: q.row, purpose: scope.purpose, reason: `${q.code}: ${q.reason}`, phone: q.phone, fields: q.values })),
        tx.now,
      )
      refused.forEach((q, i) => notes.push({ row: q.row, subject: null, data: { import: scope.importId, row: q.row, op: 'quarantine', quarantine: qids[i]!, purpose: scope.purpose, code: q.code } }))
    }
    notes.sort((a, b) => a.row - b.row)
    return { result: { result: { stored: fresh, merged, quarantined: refused.length }, key }, audit: notes.map(({ subject, data }) => ({ subject, data })) }
  })
  scope.quarantineKey = key
  return result
}
