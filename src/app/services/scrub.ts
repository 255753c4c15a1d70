import { randomUUID } from 'node:crypto'
import { parse } from 'csv-parse'
import { normalizePhone } from '../../core/phone/normalize.js'
import { formatInstant } from '../../core/time/instant.js'
import { DialwardError } from '../../core/errors.js'
import type { PagedBitset } from '../../core/dnc/paged-bitset.js'
import type { Database, Executor } from '../../store/schema.js'
import type { Repositories } from '../../store/repos/index.js'
import type { RegistryVersion } from '../../store/repos/registries.js'
import { addressHint } from '../input.js'
import type { RequestContext } from '../context.js'
import type { StoreWatch } from '../indexes/store-watch.js'
import type { UnitOfWork } from '../unit-of-work.js'
import type { InputSource } from '../files/input-source.js'
import type { OutputTarget } from '../files/output-target.js'
import { CALL_LOOKBACK, gateRecord } from '../gate/gate-record.js'
import { ScrubDecider } from '../gate/scrub-decider.js'
import { RunVersions } from '../gate/run-versions.js'
import { csvFields, csvLine } from '../scrub/csv-line.js'
import { findOptionalColumn, findPhoneColumn } from '../scrub/phone-column.js'
import type { GateService } from './gate.js'

/** One bulk scrub: a CSV list in, the same list with verdict columns out. */
export interface ScrubInput {
  readonly campaign: string
  /** The instant of the calls (default now). */
  readonly at?: number | undefined
  readonly input: InputSource
  readonly output: OutputTarget
  /** The header of the phone column; `null`: the first `phone`, `phone_number` or `number` column. */
  readonly phoneColumn: string | null
  /** The header of a column holding the consumer's address state (like `check --state`). */
  readonly stateColumn: string | null
  /** The header of a column holding the consumer's ZIP code (like `check --zip`). */
  readonly zipColumn: string | null
  /** Called now and then with the rows done so far (a progress bar). */
  readonly progress?: ((rows: number) => void) | undefined
}

/** What a scrub did: row counts and blocks per reason code. */
export interface ScrubSummary {
  readonly rows: number
  readonly allowed: number
  readonly blocked: number
  readonly invalid: number
  readonly byReason: Record<string, number>
  readonly runId: string
}

/** What the scrub service is built from. */
export interface ScrubDeps {
  readonly uow: UnitOfWork
  readonly repos: Repositories
  readonly db: Executor
  readonly watch: StoreWatch
  readonly gate: GateService
  readonly clock: () => number
}

/** Decision-log rows per transaction: each commit is fsynced, so batches are large (memory stays bounded). */
const DECISION_BATCH = 20_000
/** Output is written in chunks of about this many characters. */
const OUTPUT_CHUNK = 1 << 20

/**
 * Bulk scrubbing. Every row is decided with the same gate session `check` uses, so each row's
 * verdict is exactly what `check` says at the same instant.
 */
export class ScrubService {
  readonly #d: ScrubDeps

  constructor(deps: ScrubDeps) {
    this.#d = deps
  }

  /**
   * Streams the input, decides every row (all registry bitsets and gate records loaded once) and
   * writes every input row unchanged plus `dialward_phone`, `dialward_verdict`, `dialward_reasons`,
   * `dialward_next_allowed_at`. The output is committed only when the whole file was scrubbed and
   * its decisions and audit entry are stored; on any failure the run's decision rows are removed
   * and the output discarded, so nothing has changed.
   */
  async scrub(ctx: RequestContext, input: ScrubInput): Promise<ScrubSummary> {
    const position = { line: 0 }
    try {
      return await this.#run(ctx, input, position)
    } catch (err) {
      await input.output.abort()
      throw csvError(err, position.line)
    }
  }

  async #run(ctx: RequestContext, input: ScrubInput, position: { line: number }): Promise<ScrubSummary> {
    const { repos, db, uow, watch, gate, clock } = this.#d
    const now = clock()
    const at = input.at ?? now
    await watch.sync(db)
    const session = await gate.session(input.campaign, at)
    const campaign = session.campaign
    const runId = `scrub_${randomUUID()}`
    const bitsets = new Map<string, PagedBitset>()
    const listed = (version: RegistryVersion, national: number): boolean => bitsets.get(version.id)?.has(national) ?? false
    for (const v of session.versionsInForce()) bitsets.set(v.id, await repos.registries.bitset(db, v))
    const records = await repos.subjectRecords.read(db, { all: true }, { sealed: false, callsSince: at - CALL_LOOKBACK })
    const decider = new ScrubDecider(session, listed)
    const runVersions = new RunVersions(runId, now)
    const out = input.output
    const summary = { rows: 0, allowed: 0, blocked: 0, invalid: 0, byReason: {} as Record<string, number>, runId }
    const pending: Database['decisions'][] = []
    const flushDecisions = async (): Promise<void> => {
      if (pending.length === 0) return
      const rows = pending.splice(0)
      await runVersions.store(repos.decisions, db)
      await repos.decisions.bulkAppend(rows)
    }
    let buffered = ''
    const flushOutput = async (): Promise<void> => {
      const chunk = buffered
      buffered = ''
      if (chunk !== '') await out.write(Buffer.from(chunk, 'utf8'))
    }
    const write = async (line: string): Promise<void> => {
      buffered += line
      if (buffered.length >= OUTPUT_CHUNK) await flushOutput()
    }
    const stream = input.input.open()
    try {
      const parser = stream.pipe(parse({ bom: true, max_record_size: 1_048_576, relax_column_count: false, skip_empty_lines: true, info: true }))
      stream.on('error', (err) => parser.destroy(err))
      let phoneIdx = -1
      let stateIdx = -1
      let zipIdx = -1
      for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        const line = info.lines
        position.line = line
        if (phoneIdx < 0) {
          phoneIdx = findPhoneColumn(record, input.phoneColumn)
          stateIdx = findOptionalColumn(record, input.stateColumn, 'stateColumn')
          zipIdx = findOptionalColumn(record, input.zipColumn, 'zipColumn')
          await write(csvLine([...record, 'dialward_phone', 'dialward_verdict', 'dialward_reasons', 'dialward_next_allowed_at']))
          continue
        }
        const normalized = normalizePhone(record[phoneIdx] ?? '')
        const phone = normalized.ok ? normalized.phone : null
        const bidx = phone ? repos.subjects.bidxOf(phone) : null
        let address: { state: string | null; zip: string | null }
        try {
          address = addressHint(stateIdx >= 0 ? record[stateIdx] : undefined, zipIdx >= 0 ? record[zipIdx] : undefined, { state: 'stateColumn', zip: 'zipColumn' })
        } catch (err) {
          throw new DialwardError('INVALID_INPUT', `row ${line}: ${err instanceof DialwardError ? err.message : String(err)}`, 'in')
        }
        const scrubbed = decider.decide(phone, bidx === null ? undefined : gateRecord(records.get(bidx)), address)
        const d = scrubbed.decision
        summary.rows++
        if (phone === null) summary.invalid++
        if (d.verdict === 'allow') summary.allowed++
        else summary.blocked++
        for (const r of d.reasons) summary.byReason[r.code] = (summary.byReason[r.code] ?? 0) + 1
        pending.push({
          id: `${runId}:${String(summary.rows).padStart(10, '0')}`,
          phone_bidx: bidx,
          campaign_id: campaign.id,
          source: runId,
          at,
          verdict: d.verdict,
          reasons: scrubbed.reasonsJson,
          next_allowed_at: d.nextAllowedAt,
          versions: runVersions.ref(scrubbed.versionsJson),
          decided_at: now,
        })
        if (pending.length >= DECISION_BATCH) await flushDecisions()
        await write(`${csvFields(record)},${phone?.e164 ?? ''},${d.verdict},${scrubbed.codes},${scrubbed.nextAllowedAt}\n`)
        if (input.progress && summary.rows % 10_000 === 0) input.progress(summary.rows)
      }
      if (phoneIdx < 0) throw new DialwardError('INVALID_CSV', 'the file is empty (a header row is required)', 'in')
      await flushDecisions()
      await flushOutput()
      await uow.write(ctx, 'gate.scrub', async () => ({
        result: null,
        audit: { subject: null, data: { run: runId, campaign: campaign.id, at: formatInstant(at), rows: summary.rows, allowed: summary.allowed, blocked: summary.blocked, invalid: summary.invalid } },
      }))
      await out.commit()
      return summary
    } catch (err) {
      stream.destroy()
      await repos.decisions.removeRun(db, runId)
      throw err
    }
  }
}

/** csv-parse's errors as `INVALID_CSV` naming the row (the line where the record starts); anything else unchanged. */
function csvError(err: unknown, lastRecordLine: number): unknown {
  if (err instanceof DialwardError) return err
  const code = (err as { code?: unknown }).code
  if (typeof code !== 'string' || !(code.startsWith('CSV_') || code === 'INVALID_OPENING_QUOTE')) return err
  const lines = (err as { lines?: unknown }).lines
  // an unclosed quote is only noticed at the end of the file: the record began after the last complete one
  const at = code === 'CSV_QUOTE_NOT_CLOSED' ? lastRecordLine + 1 : lines
  const row = typeof at === 'number' ? `row ${at}: ` : ''
  const why: Record<string, string> = {
    INVALID_OPENING_QUOTE: 'a quote inside an unquoted field',
    CSV_QUOTE_NOT_CLOSED: 'unbalanced quotes (a quoted field is never closed)',
    CSV_INVALID_CLOSING_QUOTE: 'a character after a closing quote (quotes inside a field must be doubled)',
    CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: 'a different number of fields than the header',
    CSV_MAX_RECORD_SIZE: 'longer than 1 MiB',
  }
  return new DialwardError('INVALID_CSV', `${row}${why[code] ?? 'malformed CSV'}`, 'in')
}
