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
  /** The rows of the chunk merged into this contact. */
  readonly mergedRows: number[]
}

/**
 * Writes one chunk of an import in one audited unit of work: finds or creates the numbers'
 * subjects in bulk, merges each row into the contact of its number and purpose (one stored
 * earlier, or one an earlier row of the chunk made), keeping the most recently verified value of
 * each field, inserts new contacts and updates merged ones, and quarantines the refused rows.
 * The chunk is one audit entry (one per row made a large import cost more in the log than in the
 * data): its rows, how many contacts it created, which row was merged into which contact, and
 * which row went to which quarantine record and why — ids and reason codes, never a number or a
 * value. Each new contact's own row says when it was created.
 */
export async function writeChunk(uow: UnitOfWork, repos: Repositories, ctx: RequestContext, scope: ImportScope, leads: readonly ParsedLead[], refused: readonly QuarantinedLead[]): Promise<ChunkOutcome> {
  const { result, key } = await uow.write(ctx, 'contact.import', async (tx) => {
    const { subjects, created, bidxs } = await repos.subjects.ensureMany(tx.db, leads.map((l) => l.phone), tx.now)
    const preexisting = [...subjects.values()].filter((s) => !created.has(s.bidx)).map((s) => s.id)
    const stored = await repos.contacts.forSubjects(tx.db, preexisting, scope.purpose)
    const pending = new Map<string, Pending>()
    let merged = 0
    let fresh = 0
    for (const [i, lead] of leads.entries()) {
      const bidx = bidxs[i]!
      let p = pending.get(bidx)
      if (p === undefined) {
        const subject = subjects.get(bidx)!
        const row = stored.get(subject.id) ?? null
        const values = row === null ? {} : await repos.contacts.openValues(tx.db, row)
        p = { subject, key: created.get(bidx) ?? null, row, values, verifiedAt: row?.verified_at ?? lead.verifiedAt, id: row?.id ?? null, mergedRows: [] }
        pending.set(bidx, p)
        if (row === null) {
          p.values = newContact(lead.values, lead.verifiedAt)
          p.verifiedAt = lead.verifiedAt
          fresh++
          continue
        }
      }
      const m = mergeContact(p.values, p.verifiedAt, lead.values, lead.verifiedAt)
      p.values = m.values
      p.verifiedAt = m.verifiedAt
      p.mergedRows.push(lead.row)
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

    const merges: string[] = []
    for (const p of pending.values()) {
      tx.changed('subjects', p.subject.bidx)
      for (const row of p.mergedRows) merges.push(`${row}>${p.id!}`)
    }
    let key = scope.quarantineKey
    const quarantine: string[] = []
    if (refused.length > 0) {
      key ??= await repos.dataKeys.create(tx.db, 'quarantine', tx.now)
      const qids = await repos.quarantine.addMany(
        tx.db,
        scope.importId,
        key,
        refused.map((q) => ({ row: q.row, purpose: scope.purpose, reason: `${q.code}: ${q.reason}`, phone: q.phone, fields: q.values })),
        tx.now,
      )
      refused.forEach((q, i) => quarantine.push(`${q.row}>${qids[i]!}:${q.code}`))
    }
    let firstRow = Infinity
    let lastRow = 0
    for (const x of [...leads, ...refused]) {
      firstRow = Math.min(firstRow, x.row)
      lastRow = Math.max(lastRow, x.row)
    }
    const audit: AuditNote = {
      subject: null,
      data: {
        import: scope.importId,
        purpose: scope.purpose,
        firstRow,
        lastRow,
        created: fresh,
        merged,
        quarantined: refused.length,
        // row>contact it was merged into, row>quarantine id:reason code — never a number or a value
        merges: merges.sort(byRow).join(';'),
        quarantine: quarantine.join(';'),
      },
    }
    return { result: { result: { stored: fresh, merged, quarantined: refused.length }, key }, audit }
  })
  scope.quarantineKey = key
  return result
}

const byRow = (a: string, b: string): number => parseInt(a, 10) - parseInt(b, 10)
