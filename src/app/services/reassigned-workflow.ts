import { DialwardError } from '../../core/errors.js'
import type { Phone } from '../../core/phone/phone.js'
import { formatInstant } from '../../core/time/instant.js'
import { reassignedDue, RELIANCE_KINDS } from '../../core/consent/reassigned-due.js'
import type { ConsentKind } from '../../core/consent/consent-event.js'
import type { Campaign } from '../../core/gate/campaign.js'
import type { Executor } from '../../store/schema.js'
import type { Repositories } from '../../store/repos/index.js'
import { identityOf, type ReassignedRecord } from '../../store/repos/reassigned.js'
import type { Subject } from '../../store/repos/subjects.js'
import type { RequestContext } from '../context.js'
import type { AuditNote, UnitOfWork } from '../unit-of-work.js'
import type { RawRecord } from '../files/record-rows.js'
import { gateRecord } from '../gate/gate-record.js'
import { maybeInstant, oneOf, requireDate, requirePhone } from '../input.js'
import type { CampaignService } from './campaigns.js'

/** A number whose consent is not yet checked against the Reassigned Numbers Database. */
export interface DueNumber {
  readonly phone: string
  /** The seller whose consent the call relies on (its normalized key). */
  readonly seller: string
  readonly grant: string
  readonly grantedAt: string
  /** The date to query (YYYY-MM-DD): "permanently disconnected since this date?". */
  readonly queryDate: string
  readonly lastQueriedAt: string | null
}

/** `reassigned due --json`. */
export interface DueList {
  readonly at: string
  readonly campaign: string | null
  readonly numbers: DueNumber[]
  readonly total: number
  readonly truncated: boolean
}

/** What a results import did. */
export interface ResultsImport {
  readonly rows: number
  /** Results written. */
  readonly stored: number
  /** Rows that repeat a result already stored or an earlier row (same number, date, answer and query time): not stored again. */
  readonly unchanged: number
  /** Stored results by answer. */
  readonly results: Record<ReassignedRecord['result'], number>
  readonly queriedAt: string
}

/** One parsed row of a results file. */
interface ResultRow {
  readonly phone: Phone
  readonly date: number
  readonly result: ReassignedRecord['result']
  readonly queriedAt: number | undefined
}

/** Subjects read per page when listing. */
const PAGE = 200
/** Rows written per statement inside the one batch transaction. */
const CHUNK = 1_000

/** What the workflow is built from. */
export interface ReassignedWorkflowDeps {
  readonly uow: UnitOfWork
  readonly repos: Repositories
  readonly db: Executor
  readonly campaigns: CampaignService
  readonly clock: () => number
}

/**
 * The reassigned-number workflow: which numbers to query the FCC Reassigned Numbers Database for
 * (consent in force not yet covered by a result, with the date to ask about), and loading a
 * results file (`phone,date,result`) as one batch — every row valid or nothing stored.
 */
export class ReassignedWorkflow {
  readonly #d: ReassignedWorkflowDeps

  constructor(deps: ReassignedWorkflowDeps) {
    this.#d = deps
  }

  /**
   * The numbers due for a query at `at` (default now): for a campaign, those whose consent for
   * its seller and channel (of the kinds its calls need) has no result yet; without one, every
   * seller's. Results queried before `checkedSince` do not count. Decrypts numbers: the read is
   * audited (counts only).
   */
  async due(ctx: RequestContext, input: { campaign: string | null; at?: number | undefined; checkedSince?: number | undefined; limit: number }): Promise<DueList> {
    const d = this.#d
    const at = input.at ?? d.clock()
    const campaign: Campaign | null = input.campaign === null ? null : await d.campaigns.get(input.campaign)
    const kinds: readonly ConsentKind[] = campaign === null ? RELIANCE_KINDS : campaign.dialing === 'manual' ? [] : campaign.purpose === 'marketing' ? ['written'] : RELIANCE_KINDS
    const numbers: DueNumber[] = []
    let total = 0
    if (kinds.length > 0) {
      for (let after: string | null = null; ; ) {
        const ids = await d.repos.subjectRecords.idPage(d.db, after, PAGE)
        if (ids.length === 0) break
        after = ids[ids.length - 1]!
        const files = await d.repos.subjectRecords.read(d.db, { ids }, { sealed: true })
        for (const file of files.values()) {
          const record = gateRecord(file)
          if (record === undefined || file.subject === null) continue
          const due = reassignedDue(record.consentEvents, record.reassigned, { sellerKey: campaign?.sellerKey ?? null, channel: campaign?.channel ?? null, kinds, at, checkedSince: input.checkedSince ?? null })
          if (due.length === 0) continue
          let phone: string | null = null
          for (const x of due) {
            total++
            if (numbers.length >= input.limit) continue
            phone ??= await d.repos.subjects.openPhone(d.db, file.subject.id, file.subject.phone_ct)
            numbers.push({ phone, seller: x.sellerKey, grant: x.grantId, grantedAt: formatInstant(x.grantedAt), queryDate: formatInstant(x.queryDate).slice(0, 10), lastQueriedAt: x.lastQueriedAt === null ? null : formatInstant(x.lastQueriedAt) })
          }
        }
      }
    }
    await d.uow.write(ctx, 'reassigned.due.read', async () => ({ result: undefined, audit: { subject: null, data: { at: formatInstant(at), campaign: input.campaign, due: total, listed: numbers.length } } }))
    return { at: formatInstant(at), campaign: input.campaign, numbers, total, truncated: total > numbers.length }
  }

  /**
   * Loads a results file as one batch: every row is checked first (a bad row refuses the file,
   * naming the row and field, nothing stored), then all rows are written in one audited unit of
   * work, each result its own audit entry under its number's blind index. Rows without
   * `queried_at` were queried at `queriedAt` (default now). A row that repeats a stored result
   * or an earlier row (same number, date, answer and query time) is counted, not stored again.
   */
  async importResults(ctx: RequestContext, input: { source: () => AsyncIterable<RawRecord>; queriedAt?: number | undefined }): Promise<ResultsImport> {
    const d = this.#d
    let rows = 0
    for await (const r of input.source()) {
      parseRow(r)
      rows++
    }
    if (rows === 0) throw new DialwardError('INVALID_INPUT', 'the file holds no results', 'file')
    return d.uow.write(ctx, 'reassigned.import', async (tx) => {
      const queriedAt = input.queriedAt ?? tx.now
      const counts: Record<ReassignedRecord['result'], number> = { yes: 0, no: 0, 'no-data': 0 }
      const notes: AuditNote[] = []
      let chunk: ResultRow[] = []
      let stored = 0
      let unchanged = 0
      const flush = async (): Promise<void> => {
        if (chunk.length === 0) return
        const { subjects, bidxs } = await d.repos.subjects.ensureMany(tx.db, chunk.map((c) => c.phone), tx.now)
        // earlier chunks are in this transaction already: the lookup sees them too
        const known = await d.repos.reassigned.identities(tx.db, [...new Set([...subjects.values()].map((s) => s.id))])
        const items: Array<{ subject: Subject; record: ReassignedRecord }> = []
        chunk.forEach((c, i) => {
          const item = { subject: subjects.get(bidxs[i]!)!, record: { date: c.date, result: c.result, queriedAt: c.queriedAt ?? queriedAt } }
          const identity = identityOf(item.subject.id, item.record)
          if (known.has(identity)) unchanged++
          else {
            known.add(identity)
            items.push(item)
          }
        })
        const ids = await d.repos.reassigned.addMany(tx.db, items, tx.now)
        items.forEach((it, i) => {
          counts[it.record.result]++
          tx.changed('subjects', it.subject.bidx)
          notes.push({ subject: it.subject.bidx, data: { check: ids[i]!, date: formatInstant(it.record.date).slice(0, 10), result: it.record.result, queriedAt: formatInstant(it.record.queriedAt), batch: true } })
        })
        stored += items.length
        chunk = []
      }
      for await (const r of input.source()) {
        chunk.push(parseRow(r))
        if (chunk.length >= CHUNK) await flush()
      }
      await flush()
      return { result: { rows, stored, unchanged, results: counts, queriedAt: formatInstant(queriedAt) }, audit: notes }
    })
  }
}

/** One row of a results file: `phone`, `date`, `result` (yes, no, no-data), optional `queried_at`; a bad one names its row and field. */
function parseRow(r: RawRecord): ResultRow {
  if (r.problem !== undefined) throw new DialwardError('INVALID_INPUT', `row ${r.row}: ${r.problem}`, 'file')
  try {
    const result = (r.fields['result'] ?? '').trim().toLowerCase().replace(/^nodata$|^no_data$/, 'no-data')
    return {
      phone: requirePhone('phone', r.fields['phone'] ?? r.fields['phonenumber'] ?? r.fields['number']),
      date: requireDate('date', r.fields['date']?.trim()),
      result: oneOf('result', result, ['yes', 'no', 'no-data'] as const),
      queriedAt: maybeInstant('queried_at', r.fields['queriedat']),
    }
  } catch (err) {
    if (err instanceof DialwardError) throw new DialwardError(err.code, `row ${r.row}: ${err.field ?? 'row'} ${err.problem}`, 'file')
    throw err
  }
}
