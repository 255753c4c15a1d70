import { sql } from 'kysely'
import type { Database, Executor } from '../schema.js'
import type { Capabilities } from '../dialects/capabilities.js'
import { rowLedger } from './row-ledger.js'

/** A decision-log row. */
export type DecisionRow = Database['decisions']

/** What retention needs of a decision-log row: its number (blind index), campaign and instant. */
export type DecisionStub = Pick<DecisionRow, 'id' | 'phone_bidx' | 'campaign_id' | 'at'>

/** Where a page of decisions starts: after this (at, id) in (at, id) order. */
export interface DecisionCursor {
  readonly at: number
  readonly id: string
}

/** Decisions of one UTC day and verdict: how many, and how many carried each reason code. */
export interface DailyDecisionCounts {
  /** The UTC day, as days since the epoch. */
  readonly day: number
  readonly verdict: string
  readonly decisions: number
  readonly byCode: Record<string, number>
}

/** Per campaign: the numbers checked in a window, and how many of them lacked consent at their latest check. */
export interface CoverageCounts {
  readonly campaignId: string
  readonly numbers: number
  readonly byCode: Record<string, number>
  /** Numbers whose latest check carried at least one of the codes asked about. */
  readonly lacking: number
}

const DAY_MS = 86_400_000

/** `reasons LIKE '%"code":"X"%'`: the reasons column is the JSON array of `{ code, message, rule }` (a quote inside a message is escaped, so the pattern cannot be forged by text). */
const hasCode = (column: string, code: string) => sql<boolean>`${sql.ref(column)} like ${`%"code":"${code.replace(/_/g, '\\_')}"%`} escape '\\'`

/** Ids per `IN (…)` list, well below every engine's parameter limit. */
const CHUNK = 400

/** The record of one bulk scrub run. */
export interface ScrubRunRecord {
  readonly id: string
  /** JSON: the rule, engine and table versions, and each registry's versions in force by area code. */
  readonly versions: string
  readonly createdAt: number
  readonly campaignId: string | null
  readonly at: number | null
  readonly inputSha256: string | null
  readonly outputSha256: string | null
  readonly rows: number | null
  /** JSON: counts by verdict and reason, and the table of distinct outcomes. */
  readonly summary: string | null
}

/**
 * The decision log (`decisions`) and the data-version sets of bulk runs (`decision_runs`): every
 * answer the gate gave, with its reasons and the versions of the rules and data it used, the
 * number only as a blind index.
 */
export class DecisionsRepo {
  readonly #dialect: Capabilities

  constructor(dialect: Capabilities) {
    this.#dialect = dialect
  }

  async insert(trx: Executor, row: DecisionRow): Promise<void> {
    await trx.insertInto('decisions').values(row).execute()
    rowLedger.inserted(trx, 'decisions', [row], decisionScope(row.source))
  }

  /**
   * Inserts a batch of rows inside the caller's audited write by the engine's fastest path there,
   * recorded as one aggregate per `source` (`batch:<source>`, members in id order).
   */
  async insertMany(trx: Executor, rows: readonly DecisionRow[]): Promise<void> {
    if (rows.length === 0) return
    await this.#dialect.insertMany(trx, 'decisions', rows)
    const bySource = new Map<string, DecisionRow[]>()
    for (const r of rows) {
      const list = bySource.get(r.source)
      if (list) list.push(r)
      else bySource.set(r.source, [r])
    }
    for (const [source, members] of bySource) rowLedger.aggregate(trx, 'decisions', `batch:${source}`, decisionScope(source), [...members].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)))
  }

  /** Appends many rows in their own transaction by the engine's bulk path (COPY on PostgreSQL). */
  async bulkAppend(rows: readonly DecisionRow[]): Promise<void> {
    await this.#dialect.bulkLoad('decisions', rows)
  }

  /** Records one bulk scrub run (see migration 0006): what it decided under which data, and the hashes of its input and output. */
  async insertRun(trx: Executor, run: ScrubRunRecord): Promise<void> {
    await trx
      .insertInto('decision_runs')
      .values({
        id: run.id,
        versions: run.versions,
        created_at: run.createdAt,
        campaign_id: run.campaignId,
        at: run.at,
        input_sha256: run.inputSha256,
        output_sha256: run.outputSha256,
        row_count: run.rows,
        summary: run.summary,
      })
      .execute()
  }

  /** A scrub run's record, or `null`. */
  async run(ex: Executor, id: string): Promise<ScrubRunRecord | null> {
    const r = await ex.selectFrom('decision_runs').selectAll().where('id', '=', id).executeTakeFirst()
    if (!r) return null
    return { id: r.id, versions: r.versions, createdAt: r.created_at, campaignId: r.campaign_id, at: r.at, inputSha256: r.input_sha256, outputSha256: r.output_sha256, rows: r.row_count, summary: r.summary }
  }

  /** Stores (or replaces) the data-version sets of a bulk run (a JSON array). */
  async putRunVersions(ex: Executor, runId: string, versionsJson: string, createdAt: number): Promise<void> {
    await ex
      .insertInto('decision_runs')
      .values({ id: runId, versions: versionsJson, created_at: createdAt })
      .onConflict((oc) => oc.column('id').doUpdateSet({ versions: versionsJson }))
      .execute()
  }

  async runVersions(ex: Executor, runId: string): Promise<string | null> {
    return (await ex.selectFrom('decision_runs').select('versions').where('id', '=', runId).executeTakeFirst())?.versions ?? null
  }

  /** Removes every row of a bulk run and its version sets (a run that failed leaves nothing). */
  async removeRun(ex: Executor, runId: string): Promise<void> {
    await ex.deleteFrom('decisions').where('source', '=', runId).execute()
    await ex.deleteFrom('decision_runs').where('id', '=', runId).execute()
  }

  /** The rows with the given ids (any order). */
  async byIds(ex: Executor, ids: readonly string[]): Promise<DecisionRow[]> {
    const out: DecisionRow[] = []
    for (let i = 0; i < ids.length; i += 400) out.push(...(await ex.selectFrom('decisions').selectAll().where('id', 'in', ids.slice(i, i + 400)).execute()))
    return out
  }

  /**
   * A page of decisions in (at, id) order after `after`, at most `limit`, optionally only those
   * decided at or before `upTo` (retention walks the log page by page).
   */
  async stubPage(ex: Executor, after: DecisionCursor | null, limit: number, upTo?: number): Promise<DecisionStub[]> {
    let q = ex.selectFrom('decisions').select(['id', 'phone_bidx', 'campaign_id', 'at']).orderBy('at').orderBy('id').limit(limit)
    if (upTo !== undefined) q = q.where('at', '<=', upTo)
    if (after) q = q.where((eb) => eb.or([eb('at', '>', after.at), eb.and([eb('at', '=', after.at), eb('id', '>', after.id)])]))
    return q.execute()
  }

  /** Deletes decisions by id; returns how many went. */
  async deleteIds(trx: Executor, ids: readonly string[]): Promise<number> {
    let n = 0
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await trx.deleteFrom('decisions').where('id', 'in', ids.slice(i, i + CHUNK)).returningAll().execute()
      // a member of a batch is recorded in its batch's scope, so verification can still recompute the batch's digest
      for (const r of rows) rowLedger.deleted(trx, 'decisions', [r], decisionScope(r.source))
      n += rows.length
    }
    return n
  }

  async count(ex: Executor): Promise<number> {
    return Number((await ex.selectFrom('decisions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0)
  }

  /**
   * Decisions with `at` in `[from, to)`, counted per UTC day and verdict, with how many carried
   * each of `codes` (a decision with two reasons of one code counts once). One grouped query.
   */
  async countsByDay(ex: Executor, from: number, to: number, codes: readonly string[]): Promise<DailyDecisionCounts[]> {
    const day = sql<number>`${sql.ref('at')} / ${sql.lit(DAY_MS)}`
    const rows = (await ex
      .selectFrom('decisions')
      .select([day.as('day'), 'verdict', (eb) => eb.fn.countAll<number>().as('n'), ...codes.map((c, i) => sql<number>`sum(case when ${hasCode('reasons', c)} then 1 else 0 end)`.as(`c${i}`))])
      .where('at', '>=', from)
      .where('at', '<', to)
      .groupBy([day, 'verdict'])
      .orderBy(day)
      .execute()) as Array<Record<string, unknown>>
    return rows.map((r) => ({
      day: Number(r['day']),
      verdict: String(r['verdict']),
      decisions: Number(r['n']),
      byCode: Object.fromEntries(codes.map((c, i) => [c, Number(r[`c${i}`] ?? 0)])),
    }))
  }

  /**
   * Per campaign, the distinct numbers decided with `at` in `[from, to)` and, of their latest
   * decision in the window, how many carried each of `codes` and how many carried any of them.
   */
  async latestCodesPerCampaign(ex: Executor, from: number, to: number, codes: readonly string[]): Promise<CoverageCounts[]> {
    const latest = ex
      .selectFrom('decisions')
      .select(['campaign_id', 'phone_bidx', (eb) => eb.fn.max('at').as('last_at')])
      .where('at', '>=', from)
      .where('at', '<', to)
      .where('phone_bidx', 'is not', null)
      .groupBy(['campaign_id', 'phone_bidx'])
      .as('l')
    const any = codes.length === 0 ? sql<boolean>`1 = 0` : sql<boolean>`(${sql.join(codes.map((c) => hasCode('d.reasons', c)), sql` or `)})`
    const rows = (await ex
      .selectFrom('decisions as d')
      .innerJoin(latest, (j) => j.onRef('d.campaign_id', '=', 'l.campaign_id').onRef('d.phone_bidx', '=', 'l.phone_bidx').onRef('d.at', '=', 'l.last_at'))
      .select([
        'd.campaign_id as campaign_id',
        sql<number>`count(distinct ${sql.ref('d.phone_bidx')})`.as('numbers'),
        sql<number>`count(distinct case when ${any} then ${sql.ref('d.phone_bidx')} end)`.as('lacking'),
        ...codes.map((c, i) => sql<number>`count(distinct case when ${hasCode('d.reasons', c)} then ${sql.ref('d.phone_bidx')} end)`.as(`c${i}`)),
      ])
      .groupBy('d.campaign_id')
      .orderBy('d.campaign_id')
      .execute()) as Array<Record<string, unknown>>
    return rows.map((r) => ({
      campaignId: String(r['campaign_id']),
      numbers: Number(r['numbers']),
      lacking: Number(r['lacking']),
      byCode: Object.fromEntries(codes.map((c, i) => [c, Number(r[`c${i}`] ?? 0)])),
    }))
  }

  /** Every decision about one number, in the order decided. */
  async forNumber(ex: Executor, bidx: string): Promise<DecisionRow[]> {
    return ex.selectFrom('decisions').selectAll().where('phone_bidx', '=', bidx).orderBy('at').orderBy('decided_at').orderBy('id').execute()
  }
}

/** The row-ledger scope of decisions: a batch's own (`decisions:<source>`) or the single checks' (`decisions`). */
export function decisionScope(source: string): string {
  return source.startsWith('batch_') ? `decisions:${source}` : 'decisions'
}
