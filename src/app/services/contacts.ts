import type { Phone } from '../../core/phone/phone.js'
import { DAY, formatInstant } from '../../core/time/instant.js'
import { DialwardError, invalidInput } from '../../core/errors.js'
import { describeDataSchema, fieldKeep, purposePolicy, type DataSchema, type PurposePolicy } from '../../core/contacts/data-schema.js'
import { cleanFieldValue } from '../../core/contacts/field-values.js'
import { fieldKey } from '../../core/contacts/field-names.js'
import type { FieldValue } from '../../core/contacts/contact-values.js'
import type { Executor } from '../../store/schema.js'
import type { Repositories } from '../../store/repos/index.js'
import type { RequestContext } from '../context.js'
import type { AuditNote, UnitOfWork } from '../unit-of-work.js'
import type { RawRecord } from '../files/record-rows.js'
import type { LoadedSchema } from '../contacts/data-schema-file.js'
import { LeadParser, type ParsedLead, type QuarantinedLead } from '../contacts/lead-parser.js'
import { writeChunk, type ImportScope } from '../contacts/import-chunk.js'
import { rowId } from '../../store/row-id.js'

/** A lead import: where the rows come from (re-readable: `strict` reads twice), for which purpose. */
export interface LeadImportInput {
  readonly source: () => AsyncIterable<RawRecord>
  readonly purpose: string
  /** Refuse the whole file, storing nothing, when any row carries a field the purpose does not allow. */
  readonly strict: boolean
  /** When rows without a `verified_at` column were verified; default: the import's instant. */
  readonly verifiedAt?: number | undefined
}

/** What an import did (`contacts import --json`). */
export interface LeadImportReport {
  /** The import's id (quarantined rows and audit entries name it); `null` when `strict` refused the file. */
  readonly importId: string | null
  readonly purpose: string
  readonly rows: number
  /** New contact records. */
  readonly stored: number
  /** Rows merged into the contact of the same number and purpose (stored before, or an earlier row). */
  readonly merged: number
  readonly quarantined: number
  /** Values dropped (never stored) per column the purpose does not allow, as the file names the column. */
  readonly fieldsDropped: Record<string, number>
  /** Values of kept fields refused as malformed (not stored), per field. */
  readonly valuesRejected: Record<string, number>
  /** Quarantined rows per reason code. */
  readonly quarantineReasons: Record<string, number>
  /** `true` when `strict` refused the file: nothing was stored. */
  readonly rejected: boolean
}

/** A correction of one field of a number's contact records (rectification, GDPR Art. 16). */
export interface CorrectionInput {
  readonly phone: Phone
  readonly field: string
  /** The correct value, or `null` to remove the field's value. */
  readonly value: string | null
  /** Only the contact of this purpose; `null`: every contact of the number whose purpose keeps the field. */
  readonly purpose: string | null
}

/** What a correction changed (no values: the caller has the new one, the old one is only in the audit log, sealed). */
export interface CorrectionResult {
  readonly phone: string
  readonly field: string
  readonly corrected: Array<{ contact: string; purpose: string; hadValue: boolean }>
  readonly at: string
}

/** A contact that needs re-verification. */
export interface StaleContact {
  readonly phone: string
  readonly purpose: string
  readonly verifiedAt: string
  readonly staleSince: string
  readonly externalId: string | null
}

/** One quarantined row, decrypted. */
export interface QuarantinedRow {
  readonly id: string
  readonly import: string
  readonly row: number
  readonly purpose: string
  readonly reason: string
  readonly phone: string | null
  readonly fields: Record<string, string>
  readonly quarantinedAt: string
}

/** Rows per unit of work: each chunk commits whole, with one audit entry (see import-chunk.ts). */
const CHUNK = 5_000
const PAGE = 1_000

/** What the contact service is built from. */
export interface ContactServiceDeps {
  readonly uow: UnitOfWork
  readonly repos: Repositories
  readonly db: Executor
  readonly schema: LoadedSchema
  readonly clock: () => number
}

/**
 * Contact data (leads) per purpose: imports that keep only the fields the purpose's schema allows
 * (the others are dropped and reported, never stored), quarantine invalid numbers, merge
 * duplicates keeping the most recently verified values; corrections (rectification, the old value
 * kept only sealed in the audit log); the stale list; the quarantine.
 */
export class ContactService {
  readonly #d: ContactServiceDeps

  constructor(deps: ContactServiceDeps) {
    this.#d = deps
  }

  /** The effective data schema (`contacts schema --json`). */
  schema(): { source: string; sha256: string } & ReturnType<typeof describeDataSchema> {
    return { source: this.#d.schema.source, sha256: this.#d.schema.sha256, ...describeDataSchema(this.#d.schema.schema) }
  }

  /** The policy of a declared purpose, or `UNKNOWN_PURPOSE` naming `field`. */
  purpose(name: string, field = 'purpose'): PurposePolicy {
    const p = purposePolicy(this.#d.schema.schema, name)
    if (p === null) throw new DialwardError('UNKNOWN_PURPOSE', `purpose "${name}" is not declared in the data schema (declared: ${Object.keys(this.#d.schema.schema.purposes).join(', ')})`, field)
    return p
  }

  /**
   * Imports a lead file for a purpose, streaming it in chunks of 5,000 rows per audited unit of
   * work. The file is read once first (bounded memory, nothing kept): a malformed file is refused
   * whole before anything is stored, and with `strict` so is one where any row carries a value in
   * a field the purpose does not allow.
   */
  async importLeads(ctx: RequestContext, input: LeadImportInput): Promise<LeadImportReport> {
    const d = this.#d
    const purpose = this.purpose(input.purpose)
    const now = d.clock()
    const verifiedAt = input.verifiedAt ?? now
    // A first pass reads the whole file before anything is stored: a file that cannot be read
    // (no header, no number column, broken quoting on row 900,000) is refused whole, and so is,
    // with `strict`, one carrying a field the purpose does not allow.
    const probe = new LeadParser(purpose, verifiedAt, now)
    let probed = 0
    for await (const r of input.source()) {
      probe.parse(r)
      probed++
    }
    if (input.strict && probe.dropped.size > 0) return report(null, purpose.name, probed, 0, 0, probe, new Map(), true)
    const parser = new LeadParser(purpose, verifiedAt, now)
    const scope: ImportScope = { importId: rowId('imp'), purpose: purpose.name, quarantineKey: null }
    const reasons = new Map<string, number>()
    let rows = 0
    let stored = 0
    let merged = 0
    let leads: ParsedLead[] = []
    let refused: QuarantinedLead[] = []
    const flush = async (): Promise<void> => {
      if (leads.length + refused.length === 0) return
      const out = await writeChunk(d.uow, d.repos, ctx, scope, leads, refused)
      stored += out.stored
      merged += out.merged
      for (const q of refused) reasons.set(q.code, (reasons.get(q.code) ?? 0) + 1)
      leads = []
      refused = []
    }
    for await (const r of input.source()) {
      rows++
      const parsed = parser.parse(r)
      if (parsed.kind === 'lead') leads.push(parsed)
      else refused.push(parsed)
      if (leads.length + refused.length >= CHUNK) await flush()
    }
    await flush()
    const quarantined = [...reasons.values()].reduce((a, b) => a + b, 0)
    const result = report(scope.importId, purpose.name, rows, stored, merged, parser, reasons, false)
    await d.uow.write(ctx, 'contact.import.report', async () => ({
      result: undefined,
      // counts only: a column name may itself be a value (a file without its header row)
      audit: { subject: null, data: { import: scope.importId, purpose: purpose.name, rows, stored, merged, quarantined, fieldsDropped: parser.dropped.size, valuesDropped: [...parser.dropped.values()].reduce((a, b) => a + b, 0), valuesRejected: [...parser.rejected.values()].reduce((a, b) => a + b, 0) } },
    }))
    return { ...result, quarantined }
  }

  /**
   * Corrects one field of a number's contact records (of one purpose, or of every purpose that
   * keeps the field), audited: each changed contact gets an entry whose `previous` is the value it
   * replaced sealed under the subject's data key (base64) — the only copy kept, erased with the key.
   */
  correct(ctx: RequestContext, input: CorrectionInput): Promise<CorrectionResult> {
    const d = this.#d
    if (input.purpose !== null) this.purpose(input.purpose)
    const field = this.#fieldName(input.field)
    const cleaned = input.value === null ? null : cleanFieldValue(field, input.value)
    if (input.value !== null && cleaned === null) throw invalidInput('value', 'is empty (use --clear to remove a value)')
    if (cleaned !== null && !cleaned.ok) throw invalidInput('value', cleaned.reason)
    const value = cleaned === null ? null : cleaned.value
    return d.uow.write(ctx, 'contact.correct', async (tx) => {
      const subject = await d.repos.subjects.find(tx.db, input.phone)
      const rows = subject === null ? [] : (await d.repos.contacts.ofSubject(tx.db, subject.id)).filter((r) => input.purpose === null || r.purpose === input.purpose)
      if (subject === null || rows.length === 0) throw new DialwardError('UNKNOWN_CONTACT', `no contact record for this number${input.purpose === null ? '' : ` and purpose "${input.purpose}"`}`, 'phone')
      const targets = rows.filter((r) => fieldKeep(purposePolicy(d.schema.schema, r.purpose), field) !== null)
      if (targets.length === 0) throw new DialwardError('FIELD_NOT_ALLOWED', `the purpose${rows.length > 1 ? 's' : ''} ${rows.map((r) => `"${r.purpose}"`).join(', ')} of this number keep no field "${field}"`, 'field')
      const corrected: CorrectionResult['corrected'] = []
      const notes: AuditNote[] = []
      for (const row of targets) {
        const values: Record<string, FieldValue> = { ...(await d.repos.contacts.openValues(tx.db, row)) }
        const old = values[field]?.value ?? null
        if (value === null) delete values[field]
        else values[field] = { value, verifiedAt: tx.now }
        await d.repos.contacts.update(tx.db, row, subject, values, row.verified_at, tx.now)
        corrected.push({ contact: row.id, purpose: row.purpose, hadValue: old !== null })
        notes.push({
          subject: subject.bidx,
          rowsUpTo: tx.rowMark(),
          data: { contact: row.id, purpose: row.purpose, field, cleared: value === null, previous: old === null ? null : await d.repos.contacts.sealPrevious(tx.db, subject, row.id, field, old) },
        })
      }
      tx.changed('subjects', subject.bidx)
      return { result: { phone: input.phone.e164, field, corrected, at: formatInstant(tx.now) }, audit: notes }
    })
  }

  /**
   * The contacts that need re-verification at `at` (default now): last verified at least their
   * purpose's staleness period before — the contacts the gate answers `DATA_STALE` for. At most
   * `limit`, purpose by purpose. Decrypts numbers: the read is audited (counts only).
   */
  async stale(ctx: RequestContext, input: { purpose: string | null; at?: number | undefined; limit: number }): Promise<{ at: string; contacts: StaleContact[]; total: number; truncated: boolean }> {
    const d = this.#d
    const at = input.at ?? d.clock()
    const purposes = input.purpose === null ? Object.values(d.schema.schema.purposes) : [this.purpose(input.purpose)]
    const out: StaleContact[] = []
    let total = 0
    for (const p of purposes) {
      if (p.staleAfterDays === null) continue
      const cutoff = at - p.staleAfterDays * DAY + 1
      for (let after: string | null = null; ; ) {
        const page = await d.repos.contacts.page(d.db, p.name, after, PAGE, cutoff)
        if (page.length === 0) break
        after = page[page.length - 1]!.contact.id
        for (const r of page) {
          total++
          if (out.length >= input.limit) continue
          const values = await d.repos.contacts.openValues(d.db, r.contact)
          out.push({
            phone: await d.repos.subjects.openPhone(d.db, r.subjectId, r.phoneCt),
            purpose: p.name,
            verifiedAt: formatInstant(r.contact.verified_at),
            staleSince: formatInstant(r.contact.verified_at + p.staleAfterDays * DAY),
            externalId: values['external_id']?.value ?? null,
          })
        }
      }
    }
    await d.uow.write(ctx, 'contact.stale.read', async () => ({ result: undefined, audit: { subject: null, data: { at: formatInstant(at), purpose: input.purpose, contacts: total, listed: out.length } } }))
    return { at: formatInstant(at), contacts: out, total, truncated: total > out.length }
  }

  /** Quarantined rows (at most `limit`, newest import first), decrypted: the read is audited (counts only). */
  async quarantine(ctx: RequestContext, input: { limit: number }): Promise<{ rows: QuarantinedRow[]; total: number; truncated: boolean }> {
    const d = this.#d
    const stored = await d.repos.quarantine.list(d.db, input.limit)
    const { rows: total } = await d.repos.quarantine.summary(d.db)
    const rows: QuarantinedRow[] = []
    for (const q of stored) {
      const open = await d.repos.quarantine.open(d.db, q)
      rows.push({ id: q.id, import: q.import_id, row: q.row_number, purpose: q.purpose, reason: q.reason, phone: open.phone, fields: open.fields, quarantinedAt: formatInstant(q.created_at) })
    }
    await d.uow.write(ctx, 'contact.quarantine.read', async () => ({ result: undefined, audit: { subject: null, data: { rows: rows.length, total } } }))
    return { rows, total, truncated: total > rows.length }
  }

  /** The schema's spelling of a field name given in any spelling (`First Name` is `first_name`); `FIELD_NOT_ALLOWED` when no purpose keeps it. */
  #fieldName(given: string): string {
    const key = fieldKey(given)
    for (const p of Object.values(this.#d.schema.schema.purposes)) for (const f of p.fields) if (fieldKey(f.name) === key) return f.name
    throw new DialwardError('FIELD_NOT_ALLOWED', `no purpose of the data schema keeps a field "${given}"`, 'field')
  }
}

function report(importId: string | null, purpose: string, rows: number, stored: number, merged: number, parser: LeadParser, reasons: Map<string, number>, rejected: boolean): LeadImportReport {
  const sorted = (m: Map<string, number>): Record<string, number> => Object.fromEntries([...m.entries()].sort(([a], [b]) => a.localeCompare(b)))
  return {
    importId,
    purpose,
    rows,
    stored,
    merged,
    quarantined: [...reasons.values()].reduce((a, b) => a + b, 0),
    fieldsDropped: sorted(parser.dropped),
    valuesRejected: sorted(parser.rejected),
    quarantineReasons: sorted(reasons),
    rejected,
  }
}
