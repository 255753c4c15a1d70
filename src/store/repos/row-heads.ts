import { sql, type ExpressionBuilder } from 'kysely'
import type { Database, Executor } from '../schema.js'
import { DialwardError } from '../../core/errors.js'
import { addSum, parseSum, sumHex, type CoverageMac } from '../../crypto/coverage-mac.js'
import { COVERED_COLUMNS, registryScope, rowKey, rowSha256, scopeName, type CoveredTable } from './row-ledger.js'

/** One stored row of a scope, as read. */
export interface ScopeRow {
  readonly table: CoveredTable
  readonly row: Readonly<Record<string, unknown>>
}

/** The actions that write rows of a number's scope with the number's blind index as their subject. */
const SUBJECT_WRITES = ['consent.grant', 'consent.revoke', 'dnc.add', 'reassigned.record', 'calls.record', 'contact.correct', 'subject.erase'] as const

/** Ids per `IN (…)` list, well below every engine's parameter limit. */
const CHUNK = 400

/**
 * Scope heads (`row_heads`) as readers see them: one check verifies the rows it reads against
 * the keyed sum of its scope's head (ADR 0011), without walking the audit log. Any difference —
 * a row deleted, changed or added behind Dialward, a head changed, or a head missing or older
 * than the newest entry that wrote the scope — is `AUDIT_TAMPERED` (the gate then refuses).
 */
export class RowHeads {
  readonly #mac: CoverageMac

  constructor(mac: CoverageMac) {
    this.#mac = mac
  }

  /** An accumulator of the keyed sum of rows seen one at a time (a registry version's pages, streamed). */
  accumulator(): { add(table: CoveredTable, row: Readonly<Record<string, unknown>>): void; addHashed(table: CoveredTable, key: string, hash: string): void; result(): { rows: number; digest: string } } {
    let sum = 0n
    let rows = 0
    return {
      add: (table, row) => {
        sum = addSum(sum, this.#mac.contribution(table, rowKey(table, row), rowSha256(table, row)))
        rows++
      },
      /** A row whose key and hash the caller already computed. */
      addHashed: (table, key, hash) => {
        sum = addSum(sum, this.#mac.contribution(table, key, hash))
        rows++
      },
      result: () => ({ rows, digest: sumHex(sum) }),
    }
  }

  /** Verifies an accumulated sum against its scope's head. */
  async verifySum(ex: Executor, scope: string, got: { rows: number; digest: string }): Promise<void> {
    const head = (await this.heads(ex, [scope])).get(scope)
    if (!head) throw tampered(scope, 'it has no head')
    if (got.rows !== head.rows || got.digest !== head.digest) throw tampered(scope, `${got.rows} rows are stored where the audited writes left ${head.rows}, or a row was changed`)
  }

  /** The keyed sum and count of rows, as a head would hold them. */
  sumOf(rows: readonly ScopeRow[]): { rows: number; digest: string } {
    let sum = 0n
    for (const r of rows) sum = addSum(sum, this.#mac.contribution(r.table, rowKey(r.table, r.row), rowSha256(r.table, r.row)))
    return { rows: rows.length, digest: sumHex(sum) }
  }

  /**
   * Verifies scopes whose every live row was read: each must match its head. `freshness` gives,
   * per scope, the newest seq of an entry known to have written it (a head older than that was
   * replayed or lost). A scope with no rows and no head is fine (nothing was ever recorded).
   */
  async verify(ex: Executor, scopes: ReadonlyMap<string, readonly ScopeRow[]>, freshness: ReadonlyMap<string, number> = new Map()): Promise<void> {
    const heads = await this.heads(ex, [...scopes.keys()])
    for (const [scope, rows] of scopes) {
      const head = heads.get(scope)
      const newest = freshness.get(scope)
      if (!head) {
        if (rows.length > 0 || newest !== undefined) throw tampered(scope, rows.length > 0 ? 'rows exist that no audited write recorded' : 'its audited rows and their head are gone')
        continue
      }
      if (newest !== undefined && newest > head.seq) throw tampered(scope, `its head is older than audit entry ${newest} that wrote it`)
      const got = this.sumOf(rows)
      if (got.rows !== head.rows || got.digest !== head.digest) throw tampered(scope, `${got.rows} rows are stored where the audited writes left ${head.rows}, or a row was changed`)
    }
  }

  /** Verifies a small table that is one scope as a whole (`registry_versions` → `registries`, `campaigns`) by reading every row. */
  async verifyTable(ex: Executor, table: 'registry_versions' | 'campaigns', scope: string): Promise<void> {
    // the rows and the head are read by separate statements: an audited write committed between
    // them (a registry import staging its version, ADR 0015) moves the head; read both again then
    for (let attempt = 1; ; attempt++) {
      const before = (await this.heads(ex, [scope])).get(scope)?.seq ?? null
      const rows = await ex.selectFrom(table).select([...COVERED_COLUMNS[table]] as never).execute()
      try {
        await this.verify(ex, new Map([[scope, rows.map((row) => ({ table, row: row as Record<string, unknown> }))]]))
        return
      } catch (err) {
        const after = (await this.heads(ex, [scope])).get(scope)?.seq ?? null
        if (attempt >= 5 || after === before) throw err
      }
    }
  }

  /** Verifies a covered settings row that is one scope (`gate.emergencies` → `emergencies`). */
  async verifySetting(ex: Executor, key: string, scope: string): Promise<void> {
    const row = await ex.selectFrom('settings').selectAll().where('key', '=', key).executeTakeFirst()
    await this.verify(ex, new Map([[scope, row ? [{ table: 'settings' as const, row }] : []]]))
  }

  /**
   * Verifies that a registry version still has every page its audited import stored. A version
   * that lists no number stores no page and has no head: that is accepted only when its row (which
   * is verified with the registry table) says it lists none.
   */
  async verifyPageCount(ex: Executor, versionId: string): Promise<void> {
    const r = await ex.selectFrom('registry_pages').select((eb) => eb.fn.countAll<number>().as('n')).where('version_id', '=', versionId).executeTakeFirst()
    const count = Number(r?.n ?? 0)
    const scope = registryScope(versionId)
    if (count === 0 && !(await this.heads(ex, [scope])).has(scope)) {
      const v = await ex.selectFrom('registry_versions').select('numbers').where('id', '=', versionId).executeTakeFirst()
      if (v !== undefined && Number(v.numbers) === 0) return
    }
    await this.verifyCount(ex, scope, count)
  }

  /** The scopes of every number that has a head (a full read of every subject verifies these too). */
  async subjectScopes(ex: Executor): Promise<string[]> {
    return (await ex.selectFrom('row_heads').select('scope').where('scope', 'like', 's:%').execute()).map((r) => r.scope)
  }

  /** Verifies the number of rows of a scope (a registry version's pages: each page is also authenticated by its encryption). */
  async verifyCount(ex: Executor, scope: string, count: number): Promise<void> {
    const head = (await this.heads(ex, [scope])).get(scope)
    if (!head) throw tampered(scope, 'it has no head')
    if (head.rows !== count) throw tampered(scope, `${count} rows are stored where the audited writes left ${head.rows}`)
  }

  /** The heads of scopes (MACs checked: a head changed behind Dialward is `AUDIT_TAMPERED`). */
  async heads(ex: Executor, scopes: readonly string[]): Promise<Map<string, { rows: number; digest: string; seq: number }>> {
    const out = new Map<string, { rows: number; digest: string; seq: number }>()
    for (let i = 0; i < scopes.length; i += CHUNK) {
      for (const h of await ex.selectFrom('row_heads').selectAll().where('scope', 'in', scopes.slice(i, i + CHUNK)).execute()) {
        const rows = Number(h.rows)
        const seq = Number(h.seq)
        if (parseSum(h.digest) === null || h.mac !== this.#mac.headMac(h.scope, rows, h.digest, seq)) throw tampered(h.scope, 'its head was changed')
        out.set(h.scope, { rows, digest: h.digest, seq })
      }
    }
    return out
  }

  /** Every head (full verification), MACs checked. */
  async all(ex: Executor): Promise<Map<string, { rows: number; digest: string; seq: number }>> {
    const scopes = (await ex.selectFrom('row_heads').select('scope').execute()).map((r) => r.scope)
    return this.heads(ex, scopes)
  }

  /** {@link newestSubjectWrites} for every number on record (a full read). */
  async newestSubjectWritesAll(ex: Executor): Promise<Map<string, number>> {
    const out = new Map<string, number>()
    const rows = await ex.selectFrom('audit_log').select(['subject', (eb) => eb.fn.max('seq').as('seq')]).where('subject', 'is not', null).where('action', 'in', SUBJECT_WRITES).where(wroteOwnScope).groupBy('subject').execute()
    for (const r of rows) if (r.subject !== null && r.seq !== null) out.set(`s:${r.subject}`, Number(r.seq))
    return out
  }

  /**
   * The newest seq of an entry that wrote each number's rows under its blind index (the freshness
   * a head must reach): an entry that wrote none (a second erasure of the same number finds
   * nothing left to write) does not move the head, as `audit verify` knows, so it does not count.
   */
  async newestSubjectWrites(ex: Executor, bidxs: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>()
    for (let i = 0; i < bidxs.length; i += CHUNK) {
      const rows = await ex
        .selectFrom('audit_log')
        .select(['subject', (eb) => eb.fn.max('seq').as('seq')])
        .where('subject', 'in', bidxs.slice(i, i + CHUNK))
        .where('action', 'in', SUBJECT_WRITES)
        .where(wroteOwnScope)
        .groupBy('subject')
        .execute()
      for (const r of rows) if (r.subject !== null && r.seq !== null) out.set(`s:${r.subject}`, Number(r.seq))
    }
    return out
  }
}

/** The audit entry recorded a row of its own subject's scope (`s:<blind index>`) in `row_audit`. */
const wroteOwnScope = (eb: ExpressionBuilder<Database, 'audit_log'>) =>
  eb.exists(eb.selectFrom('row_audit').select('row_audit.seq').whereRef('row_audit.seq', '=', 'audit_log.seq').where('row_audit.scope', '=', sql<string>`'s:' || ${sql.ref('audit_log.subject')}`))

function tampered(scope: string, why: string): DialwardError {
  return new DialwardError('AUDIT_TAMPERED', `${scopeName(scope)} do not match the audit log (${why}): refusing to decide; run "dialward audit verify"`)
}
