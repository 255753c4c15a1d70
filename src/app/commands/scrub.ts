import { createReadStream, createWriteStream, renameSync, rmSync, statSync } from 'node:fs'
import { once } from 'node:events'
import { randomUUID } from 'node:crypto'
import { parse } from 'csv-parse'
import { normalizePhone } from '../../core/phone/normalize.js'
import { formatInstant } from '../../core/time/instant.js'
import { DialwardError, invalidInput } from '../../core/errors.js'
import type { PagedBitset } from '../../core/dnc/paged-bitset.js'
import type { Database } from '../../store/schema.js'
import type { RegistryVersion } from '../../store/repos/registries.js'
import { addressHint, optionalInstant, optionalText, requireText } from '../input.js'
import type { Services } from '../compose.js'
import type { RequestContext } from '../context.js'
import { CALL_LOOKBACK, gateRecord } from '../gate/gate-record.js'
import { ScrubDecider } from '../gate/scrub-decider.js'
import { RunVersions } from '../gate/run-versions.js'
import { csvFields, csvLine } from '../scrub/csv-line.js'
import { findOptionalColumn, findPhoneColumn } from '../scrub/phone-column.js'

export interface ScrubInput {
  [flag: string]: unknown
  campaign?: unknown
  in?: unknown
  out?: unknown
  at?: unknown
  phoneColumn?: unknown
  stateColumn?: unknown
  zipColumn?: unknown
}

/** What a scrub did: row counts and blocks per reason code. */
export interface ScrubSummary {
  rows: number
  allowed: number
  blocked: number
  invalid: number
  byReason: Record<string, number>
  runId: string
}

/** Decision-log rows per transaction: each commit is fsynced, so batches are large (memory stays bounded). */
const DECISION_BATCH = 20_000
/** Output is written in chunks of about this many characters. */
const OUTPUT_CHUNK = 1 << 20

/**
 * Scrubs a CSV list for a campaign: streams the input, decides every row with the same gate
 * session `check` uses (all registry bitsets and gate records loaded once), and writes every
 * input row unchanged plus `dialward_phone`, `dialward_verdict`, `dialward_reasons`,
 * `dialward_next_allowed_at`. Memory stays constant in the file's size. The output appears
 * (atomically renamed) only when the whole file was scrubbed; on failure the run's decision-log
 * rows (and its data-version sets) are removed, so nothing has changed. Decision-log rows are
 * appended in bulk and refer to the run's data-version sets, stored once (see run-versions.ts).
 */
export async function scrub(services: Services, ctx: RequestContext, input: ScrubInput, progress?: (rows: number) => void): Promise<ScrubSummary> {
  const { repos, store, clock } = services.infra
  const db = store.db
  const inPath = requireText('--in', input.in, 4_096)
  const outPath = requireText('--out', input.out, 4_096)
  const now = clock()
  const at = optionalInstant('--at', input.at, now)
  await services.infra.watch.sync(db)
  const session = await services.gate.session(requireText('--campaign', input.campaign, 200), at)
  const campaign = session.campaign
  const phoneColumnName = optionalText('--phone-column', input.phoneColumn, 200)
  try {
    if (!statSync(inPath).isFile()) throw new Error('not a file')
  } catch {
    throw invalidInput('--in', `cannot read ${inPath}`)
  }
  const runId = `scrub_${randomUUID()}`
  const bitsets = new Map<string, PagedBitset>()
  const listed = (version: RegistryVersion, national: number): boolean => bitsets.get(version.id)?.has(national) ?? false
  for (const v of session.versionsInForce()) bitsets.set(v.id, await repos.registries.bitset(db, v))
  const records = await repos.subjectRecords.read(db, { all: true }, { sealed: false, callsSince: at - CALL_LOOKBACK })
  const decider = new ScrubDecider(session, listed)
  const runVersions = new RunVersions(runId, now)

  const tmpPath = `${outPath}.${process.pid}.partial`
  const out = createWriteStream(tmpPath, { mode: 0o600 })
  const summary: ScrubSummary = { rows: 0, allowed: 0, blocked: 0, invalid: 0, byReason: {}, runId }
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
    if (chunk !== '' && !out.write(chunk)) await once(out, 'drain')
  }
  const write = async (line: string): Promise<void> => {
    buffered += line
    if (buffered.length >= OUTPUT_CHUNK) await flushOutput()
  }
  try {
    const parser = createReadStream(inPath).pipe(
      parse({ bom: true, max_record_size: 1_048_576, relax_column_count: false, skip_empty_lines: true }),
    )
    let phoneIdx = -1
    let stateIdx = -1
    let zipIdx = -1
    let line = 0
    for await (const record of parser as AsyncIterable<string[]>) {
      line++
      if (phoneIdx < 0) {
        phoneIdx = findPhoneColumn(record, phoneColumnName)
        stateIdx = findOptionalColumn(record, optionalText('--state-column', input.stateColumn, 200), '--state-column')
        zipIdx = findOptionalColumn(record, optionalText('--zip-column', input.zipColumn, 200), '--zip-column')
        await write(csvLine([...record, 'dialward_phone', 'dialward_verdict', 'dialward_reasons', 'dialward_next_allowed_at']))
        continue
      }
      const normalized = normalizePhone(record[phoneIdx] ?? '')
      const phone = normalized.ok ? normalized.phone : null
      const bidx = phone ? repos.subjects.bidxOf(phone) : null
      let address: { state: string | null; zip: string | null }
      try {
        address = addressHint(stateIdx >= 0 ? record[stateIdx] : undefined, zipIdx >= 0 ? record[zipIdx] : undefined, { state: '--state-column', zip: '--zip-column' })
      } catch (err) {
        throw invalidInput(`--in row ${line}`, err instanceof Error ? err.message : String(err))
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
      if (progress && summary.rows % 10_000 === 0) progress(summary.rows)
    }
    if (phoneIdx < 0) throw invalidInput('--in', 'the file is empty (a header row is required)')
    await flushDecisions()
    await flushOutput()
    out.end()
    await once(out, 'finish')
    await services.infra.uow.write(ctx, 'gate.scrub', async () => ({
      result: null,
      audit: { subject: null, data: { run: runId, campaign: campaign.id, at: formatInstant(at), rows: summary.rows, allowed: summary.allowed, blocked: summary.blocked, invalid: summary.invalid } },
    }))
    renameSync(tmpPath, outPath)
    return summary
  } catch (err) {
    out.on('error', () => undefined) // a write may still be pending: the partial file is removed below
    out.destroy()
    rmSync(tmpPath, { force: true })
    await repos.decisions.removeRun(db, runId)
    if (err instanceof DialwardError) throw err
    const code = (err as { code?: string }).code
    if (typeof code === 'string' && code.startsWith('CSV_')) {
      throw invalidInput('--in', `malformed CSV: ${(err as Error).message}`)
    }
    throw err
  }
}
