import { createHash } from 'node:crypto'
import { availableParallelism } from 'node:os'
import { DialwardError } from '../../core/errors.js'
import { versionInForceFor } from '../../core/dnc/coverage.js'
import { formatInstant } from '../../core/time/instant.js'
import type { Executor } from '../../store/schema.js'
import type { Capabilities } from '../../store/dialects/capabilities.js'
import type { Repositories } from '../../store/repos/index.js'
import type { DecisionRow } from '../../store/repos/decisions.js'
import type { RegistryVersion } from '../../store/repos/registries.js'
import type { Keyring } from '../../crypto/keyring.js'
import type { RequestContext } from '../context.js'
import type { StoreWatch } from '../indexes/store-watch.js'
import { RegistrySnapshot } from '../indexes/registry-snapshot.js'
import type { UnitOfWork } from '../unit-of-work.js'
import type { InputSource } from '../files/input-source.js'
import type { OutputTarget } from '../files/output-target.js'
import type { GateSession } from '../gate/gate-session.js'
import { readHeader, type CsvHeader } from '../scrub/csv-header.js'
import { findOptionalColumn, findPhoneColumn } from '../scrub/phone-column.js'
import { ScrubEngine, type ChunkResult, type OutcomeCount, type RecordDecision, type RowLayout } from '../scrub/scrub-engine.js'
import { loadRecordIndex } from '../scrub/record-index.js'
import { RecordChunks } from '../scrub/record-chunks.js'
import { inThisThread, startWorkers, workersAvailable, type ChunkProcessor, type StartingWorkers } from '../scrub/chunk-processor.js'
import type { ScrubSetup } from '../scrub/scrub-setup.js'
import type { GateService } from './gate.js'
import { rowId } from '../../store/row-id.js'

/** One bulk scrub: a CSV list in, the same list with verdict columns out. */
export interface ScrubInput {
  readonly campaign: string
  /** The instant of the calls (default now). */
  readonly at?: number | undefined
  readonly input: InputSource
  readonly output: OutputTarget
  /** The header of the phone column; `null`: the first column named like a phone number (see phone-column.ts). */
  readonly phoneColumn: string | null
  /** The header of a column holding the consumer's address state (like `check --state`). */
  readonly stateColumn: string | null
  /** The header of a column holding the consumer's ZIP code (like `check --zip`). */
  readonly zipColumn: string | null
  /** Write only the rows that may be called. */
  readonly allowedOnly?: boolean | undefined
  /** Worker threads (0: this thread); default: every core for inputs over 4 MiB, else 0. */
  readonly threads?: number | undefined
  /** Called after each chunk with the rows done so far and the input bytes read (and the input's size when known). */
  readonly progress?: ((rows: number, bytesRead: number, totalBytes: number | null) => void) | undefined
}

/** What a scrub did: row counts and blocks per reason code. */
export interface ScrubSummary {
  readonly rows: number
  readonly allowed: number
  readonly blocked: number
  readonly invalid: number
  readonly byReason: Record<string, number>
  readonly runId: string
  /** Rows written (every row, or the allowed ones with `allowedOnly`). */
  readonly written: number
  readonly inputSha256: string
  readonly outputSha256: string
  /** Worker threads used (0: the main thread). */
  readonly threads: number
}

/** What the scrub service is built from. */
export interface ScrubDeps {
  readonly uow: UnitOfWork
  readonly repos: Repositories
  readonly db: Executor
  readonly dialect: Capabilities
  readonly watch: StoreWatch
  readonly gate: GateService
  readonly keyring: Keyring
  readonly clock: () => number
}

/** Input read per chunk. */
const READ_BYTES = 4 << 20
/** Inputs at least this large are scrubbed by worker threads. */
const THREADS_FROM_BYTES = 4 << 20
/** Outcomes recorded by name in the run record (the rest are counted). */
const MAX_OUTCOME_ROWS = 20_000
/** Decision rows (numbers with a record) per bulk load. */
const DECISION_BATCH = 20_000

/**
 * Bulk scrubbing at memory speed. Every row is decided with the same gate session `check` uses,
 * so each row's verdict, reasons and next allowed time are exactly what `check` says at the same
 * instant; see ADR 0008 for how the run is logged.
 */
export class ScrubService {
  readonly #d: ScrubDeps

  constructor(deps: ScrubDeps) {
    this.#d = deps
  }

  /**
   * Streams the input, decides every row and writes every input row as it came (UTF-8 BOM, CRLF
   * line endings and delimiter kept) plus `dialward_phone`, `dialward_verdict`,
   * `dialward_reasons`, `dialward_next_allowed_at`. The registries in force are loaded once
   * (memory: their blocks, not the input), the numbers that have any record are read once, and
   * chunks are spread over worker threads. The output is committed only when the whole file was
   * scrubbed and the run record (with the decisions about numbers that have a record) and its
   * audit entry are stored; on any failure nothing is stored and the output is discarded.
   */
  async scrub(ctx: RequestContext, input: ScrubInput): Promise<ScrubSummary> {
    const runId = rowId('scrub')
    try {
      return await this.#run(ctx, input, runId)
    } catch (err) {
      await input.output.abort()
      await this.#d.repos.decisions.removeRun(this.#d.db, runId).catch(() => undefined)
      throw err
    }
  }

  async #run(ctx: RequestContext, input: ScrubInput, runId: string): Promise<ScrubSummary> {
    const { repos, db, watch, gate, clock } = this.#d
    const now = clock()
    const at = input.at ?? now
    await watch.sync(db)
    const session = await gate.session(input.campaign, at)
    const inputHash = createHash('sha256')
    const outputHash = createHash('sha256')
    const out = input.output
    const write = async (bytes: Uint8Array): Promise<void> => {
      if (bytes.length === 0) return
      outputHash.update(bytes)
      await out.write(bytes)
    }

    // 1. the header: how the file is written, and where the columns are
    const stream = input.input.open(READ_BYTES)
    const reader = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>
    let bytesRead = 0
    const read = async (): Promise<Buffer | null> => {
      const next = await reader.next()
      if (next.done) return null
      bytesRead += next.value.length
      inputHash.update(next.value)
      return next.value
    }
    let head: Buffer = Buffer.alloc(0)
    let header: CsvHeader | null = null
    let ended = false
    let starting: StartingWorkers | null = null
    try {
      while (header === null) {
        const data = await read()
        if (data === null) ended = true
        else head = head.length === 0 ? data : Buffer.concat([head, data])
        header = readHeader(head, ended)
      }
      const layout: RowLayout = {
        delimiter: header.delimiter,
        fieldCount: header.fields.length,
        phoneIdx: findPhoneColumn(header.fields, input.phoneColumn),
        stateIdx: findOptionalColumn(header.fields, input.stateColumn, 'stateColumn'),
        zipIdx: findOptionalColumn(header.fields, input.zipColumn, 'zipColumn'),
        terminator: header.terminator,
        allowedOnly: input.allowedOnly === true,
      }

      // 2. what every row is decided against, loaded once (the workers load their code meanwhile)
      const threads = this.#threads(input)
      starting = threads > 0 ? startWorkers(threads) : null
      // every version the session may read is whole (its page count matches its head), as for `check`
      for (const v of session.registryVersions) await repos.rowHeads.verifyPageCount(db, v.id)
      const registries = await RegistrySnapshot.load(repos.registries, db, session.registryVersions, at, threads > 0)
      const expectedRows = input.input.size === null ? Number.POSITIVE_INFINITY : input.input.size / 12
      const subjects = await repos.subjects.count(db)
      // decrypting a number costs about 10 µs, a blind index about 1 µs a row: pick the cheaper way to find records
      const byBlindIndex = subjects * 10 > expectedRows / Math.max(1, threads)
      const records = await loadRecordIndex(repos, db, at, byBlindIndex)
      const processor = await this.#processor(session, registries, records, layout, starting)
      starting = null

      // 3. the header row, then every chunk in order
      const d = String.fromCharCode(layout.delimiter)
      const extra = Buffer.from(`${d}dialward_phone${d}dialward_verdict${d}dialward_reasons${d}dialward_next_allowed_at`, 'utf8')
      await write(Buffer.concat([header.bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), head.subarray(header.rowStart, header.rowEnd), extra, header.terminator]))
      const decisions: RecordDecision[] = []
      const result = { rows: 0, written: 0 }
      let line = header.lines
      const queue: Array<Promise<ChunkResult>> = []
      const depth = Math.max(1, processor.threads * 2)
      const drain = async (): Promise<void> => {
        const r = await queue.shift()!
        if (r.error !== null) throw new DialwardError(r.error.code, `row ${line + r.error.line}: ${r.error.problem}`, 'in')
        line += r.lines
        result.rows += r.rows
        await write(r.out)
        for (const x of r.records) decisions.push(x)
        input.progress?.(result.rows, bytesRead, input.input.size)
      }
      try {
        const chunks = new RecordChunks()
        const submit = async (chunk: Uint8Array | null): Promise<void> => {
          if (chunk === null) return
          queue.push(processor.submit(chunk))
          if (queue.length >= depth) await drain()
        }
        if (head.length > header.end) await submit(chunks.push(head.subarray(header.end)))
        if (!ended) {
          for (;;) {
            const data = await read()
            if (data === null) break
            await submit(chunks.push(data))
          }
        }
        await submit(chunks.end())
        while (queue.length > 0) await drain()
        const { counts, table } = await processor.finish()
        return await this.#finish(ctx, { runId, session, at, now, counts, table, decisions, processor, inputHash, outputHash, input, records: records.stats, layout, header })
      } catch (err) {
        // results still in flight are dropped
        await Promise.allSettled(queue)
        throw err
      } finally {
        await processor.close()
      }
    } finally {
      stream.destroy()
      await starting?.close()
    }
  }

  #threads(input: ScrubInput): number {
    if (!workersAvailable()) return 0
    if (input.threads !== undefined) return Math.max(0, Math.min(input.threads, 16))
    if (input.input.size !== null && input.input.size < THREADS_FROM_BYTES) return 0
    return Math.min(2, availableParallelism())
  }

  async #processor(session: GateSession, registries: RegistrySnapshot, records: Awaited<ReturnType<typeof loadRecordIndex>>, layout: RowLayout, workers: StartingWorkers | null): Promise<ChunkProcessor> {
    if (workers === null) return inThisThread(new ScrubEngine(session, registries, records.index, layout))
    const { rules, ...facts } = session.facts
    const setup: ScrubSetup = {
      facts,
      pack: rules.pack,
      registries: registries.data,
      records: records.data,
      blindIndex: records.data.byBidx === null ? null : { keyId: this.#d.keyring.blindIndexKeyId, key: new Uint8Array(this.#d.keyring.blindIndexKey().export()) },
      layout,
    }
    return workers.configure(setup)
  }

  async #finish(
    ctx: RequestContext,
    r: {
      runId: string
      session: GateSession
      at: number
      now: number
      counts: OutcomeCount[]
      table: Array<{ key: string; bits: number; verdict: string; codes: string; rows: number }>
      decisions: RecordDecision[]
      processor: ChunkProcessor
      inputHash: ReturnType<typeof createHash>
      outputHash: ReturnType<typeof createHash>
      input: ScrubInput
      records: { numbers: number; byBlindIndexOnly: number }
      layout: RowLayout
      header: CsvHeader
    },
  ): Promise<ScrubSummary> {
    const { repos, uow, dialect } = this.#d
    let rows = 0
    let allowed = 0
    let invalid = 0
    const byReason: Record<string, number> = {}
    for (const c of r.counts) {
      rows += c.rows
      if (c.verdict === 'allow') allowed += c.rows
      if (c.invalid) invalid += c.rows
      if (c.codes !== '') for (const code of c.codes.split(';')) byReason[code] = (byReason[code] ?? 0) + c.rows
    }
    const inputSha256 = r.inputHash.digest('hex')
    const outputSha256 = r.outputHash.digest('hex')
    const campaign = r.session.campaign
    // the decisions about numbers that have a record, one row each (bulk load; removed again if the run is not recorded)
    const rowsOf = (batch: readonly RecordDecision[], offset: number): DecisionRow[] =>
      batch.map((x, k) => ({
        id: `${r.runId}:${String(offset + k + 1).padStart(10, '0')}`,
        phone_bidx: x.bidx,
        campaign_id: campaign.id,
        source: r.runId,
        at: r.at,
        verdict: x.verdict,
        reasons: x.reasons,
        next_allowed_at: x.nextAllowedAt,
        versions: x.versions,
        decided_at: r.now,
      }))
    for (let i = 0; i < r.decisions.length; i += DECISION_BATCH) await dialect.bulkLoad('decisions', rowsOf(r.decisions.slice(i, i + DECISION_BATCH), i))
    const table = r.table.sort((a, b) => b.rows - a.rows)
    const summary = {
      rows,
      allowed,
      blocked: rows - allowed,
      invalid,
      byReason,
      written: r.input.allowedOnly === true ? allowed : rows,
      allowedOnly: r.input.allowedOnly === true,
      threads: r.processor.threads,
      input: { bytes: r.input.input.size, bom: r.header.bom, delimiter: String.fromCharCode(r.layout.delimiter), lineEnding: r.header.terminator.length === 2 ? 'CRLF' : 'LF' },
      numbersWithRecord: { known: r.records.numbers, byBlindIndexOnly: r.records.byBlindIndexOnly, decisionsLogged: r.decisions.length },
      outcomes: table.slice(0, MAX_OUTCOME_ROWS),
      outcomesOmitted: Math.max(0, table.length - MAX_OUTCOME_ROWS),
    }
    const versions = JSON.stringify(runVersions(r.session, r.at))
    await uow.write(ctx, 'gate.scrub', async (tx) => {
      await repos.decisions.insertRun(tx.db, {
        id: r.runId,
        versions,
        createdAt: tx.now,
        campaignId: campaign.id,
        at: r.at,
        inputSha256,
        outputSha256,
        rows,
        summary: JSON.stringify(summary),
      })
      return {
        result: null,
        audit: {
          subject: null,
          data: { run: r.runId, campaign: campaign.id, at: formatInstant(r.at), rows, allowed, blocked: rows - allowed, invalid, inputSha256, outputSha256, decisionsLogged: r.decisions.length },
        },
      }
    })
    await r.input.output.commit()
    return { rows, allowed, blocked: rows - allowed, invalid, byReason, runId: r.runId, written: summary.written, inputSha256, outputSha256, threads: r.processor.threads }
  }
}

/** The data versions a run decided under: rules, engine and tables, and each registry's version in force per area code. */
function runVersions(session: GateSession, at: number): Record<string, unknown> {
  const versions = session.registryVersions
  const registries: Array<{ registry: string; version: string; asOf: string; areaCodes: number[] | 'all others' }> = []
  for (const registry of [...new Set(versions.map((v) => v.registry))].sort()) {
    const mine = versions.filter((v) => v.registry === registry)
    const byVersion = new Map<RegistryVersion, number[]>()
    const named = new Set<number>()
    for (const v of mine) for (const a of v.coverage.areas.keys()) named.add(a)
    for (const a of [...named].sort((x, y) => x - y)) {
      const v = versionInForceFor(mine, registry, a, at)
      if (v !== null) byVersion.set(v, [...(byVersion.get(v) ?? []), a])
    }
    for (const [v, areas] of byVersion) registries.push({ registry, version: v.id, asOf: formatInstant(v.asOf).slice(0, 10), areaCodes: areas })
    const whole = versionInForceFor(mine, registry, null, at)
    if (whole !== null) registries.push({ registry, version: whole.id, asOf: formatInstant(whole.asOf).slice(0, 10), areaCodes: 'all others' })
  }
  return { ...session.facts.rules.versions, registries }
}
