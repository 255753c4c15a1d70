import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely'
import type { DialectName } from './dialect-name.js'
import * as foundation from './migrations/0001-foundation.js'
import * as auditCheckpoints from './migrations/0002-audit-checkpoints.js'
import * as retention from './migrations/0003-retention.js'
import * as decisionRuns from './migrations/0004-decision-runs.js'

/** Every migration in order, each written once for both dialects. */
function migrations(d: DialectName): Record<string, Migration> {
  return {
    '0001-foundation': { up: (db: Kysely<unknown>) => foundation.up(db, d) },
    '0002-audit-checkpoints': { up: (db: Kysely<unknown>) => auditCheckpoints.up(db, d) },
    '0003-retention': { up: (db: Kysely<unknown>) => retention.up(db, d) },
    '0004-decision-runs': { up: (db: Kysely<unknown>) => decisionRuns.up(db, d) },
  }
}

/** Brings the schema to the latest version; throws with the failing migration's name on error. */
export async function migrateToLatest(db: Kysely<unknown>, d: DialectName): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(d) }
  const migrator = new Migrator({ db, provider })
  const { error, results } = await migrator.migrateToLatest()
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown'
    throw new Error(`database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`)
  }
}
