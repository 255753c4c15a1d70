import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely'
import type { ColumnTypes } from './dialects/capabilities.js'
import * as foundation from './migrations/0001-foundation.js'
import * as auditCheckpoints from './migrations/0002-audit-checkpoints.js'
import * as retention from './migrations/0003-retention.js'
import * as decisionRuns from './migrations/0004-decision-runs.js'
import * as changes from './migrations/0005-changes-and-refusals.js'
import * as registryCoverage from './migrations/0006-registry-coverage-and-scrub-runs.js'
import * as access from './migrations/0007-access-and-change-log.js'
import * as rowCoverage from './migrations/0008-row-coverage.js'
import * as contacts from './migrations/0009-contacts.js'

/** Every migration in order, each written once for both engines (column types come from the dialect). */
const MIGRATIONS: ReadonlyArray<readonly [string, (db: Kysely<unknown>, t: ColumnTypes) => Promise<void>]> = [
  ['0001-foundation', foundation.up],
  ['0002-audit-checkpoints', auditCheckpoints.up],
  ['0003-retention', retention.up],
  ['0004-decision-runs', decisionRuns.up],
  ['0005-changes-and-refusals', changes.up],
  ['0006-registry-coverage-and-scrub-runs', registryCoverage.up],
  ['0007-access-and-change-log', access.up],
  ['0008-row-coverage', rowCoverage.up],
  ['0009-contacts', contacts.up],
]

/**
 * Brings the schema to the latest version; throws with the failing migration's name on error.
 * Migrations were numbered on parallel branches, so one may land after a higher number has run:
 * each is applied once, whatever the order they reached a database in.
 */
export async function migrateToLatest(db: Kysely<unknown>, types: ColumnTypes): Promise<void> {
  const all: Record<string, Migration> = {}
  for (const [name, up] of MIGRATIONS) all[name] = { up: (d: Kysely<unknown>) => up(d, types) }
  const provider: MigrationProvider = { getMigrations: async () => all }
  const { error, results } = await new Migrator({ db, provider, allowUnorderedMigrations: true }).migrateToLatest()
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown'
    throw new Error(`database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`)
  }
}
