import { requestContext } from '../context.js'
import type { Store } from '../../store/store.js'
import type { Repositories } from '../../store/repos/index.js'
import type { UnitOfWork } from '../unit-of-work.js'
import { coverageReader, type RowTable } from '../../store/repos/coverage-reader.js'
import { COVERED_COLUMNS, registryScope, rowLedger, type CoveredTable } from '../../store/repos/row-ledger.js'

/** Rows adopted per audited transaction (bounded, so writers are not stalled). */
const ADOPT_BATCH = 500

/** Settings key: set once every row stored before the log covered the data has been adopted. */
export const COVERAGE_SETTING = 'coverage.state'

/**
 * Adopts the rows a database held before the log covered the data (an upgrade to migration 0008):
 * each covered row no record covers yet is recorded, 500 per audited `audit.adopt` entry, as it is
 * stored at that moment. What was changed before the upgrade cannot be told apart; from then on
 * every change is covered. Idempotent and resumable: a killed adoption resumes with the rows still
 * unrecorded. A database with no audit entry (a fresh one) has nothing to adopt.
 */
export async function adoptRows(infra: { readonly store: Store; readonly repos: Repositories; readonly uow: UnitOfWork }): Promise<void> {
  const { store, repos, uow } = infra
  if ((await repos.settings.get(store.db, COVERAGE_SETTING)) === 'on') return
  const ctx = requestContext('system:coverage', 'admin')
  const tables = (Object.keys(COVERED_COLUMNS) as CoveredTable[]).filter((t): t is RowTable => t !== 'registry_pages')
  if ((await repos.auditLog.size(store.db)) > 0) {
    for (const table of tables) {
      for (;;) {
        const n = await uow.write(ctx, 'audit.adopt', async (tx) => {
          const rows = await coverageReader.unrecorded(tx.db, table, ADOPT_BATCH)
          for (const { row, scope } of rows) rowLedger.inserted(tx.db, table, [row], scope)
          return { result: rows.length, audit: rows.length === 0 ? null : { subject: null, data: { table, rows: rows.length } } }
        })
        if (n < ADOPT_BATCH) break
      }
    }
    for (const { version, after: start } of await coverageReader.unrecordedPageVersions(store.db)) {
      for (let after: number | null = start; ; ) {
        const last = await uow.write(ctx, 'audit.adopt', async (tx) => {
          const pages = await coverageReader.pagesPage(tx.db, version, after, ADOPT_BATCH)
          if (pages.length === 0) return { result: null, audit: null }
          rowLedger.aggregate(tx.db, 'registry_pages', `${version}#${pages[0]!.prefix}-${pages.at(-1)!.prefix}`, registryScope(version), pages)
          return { result: pages.at(-1)!.prefix, audit: { subject: null, data: { table: 'registry_pages', version, rows: pages.length } } }
        })
        if (last === null) break
        after = last
      }
    }
  }
  await repos.settings.put(store.db, COVERAGE_SETTING, 'on')
}
