import { sql } from 'kysely'
import type { App } from '../open-app.js'

/** Tables a purge or erasure deletes from (vacuumed on PostgreSQL). */
export const PURGED_TABLES = ['consent_events', 'dnc_entries', 'reassigned_checks', 'calls', 'subjects', 'decisions', 'registry_pages', 'registry_versions', 'disclosures', 'data_keys'] as const

/** How the deleted bytes were removed from the storage files. */
export interface ScrubOutcome {
  readonly physical: string
  readonly complete: boolean
  readonly attempts: number
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/**
 * Removes deleted rows from the storage files. SQLite (opened with `secure_delete=ON`, so freed
 * pages are zeroed): `wal_checkpoint(TRUNCATE)` retried until it reports not busy (a reader
 * holding an old snapshot makes it busy and scrub nothing), up to `maxWaitMs`. PostgreSQL: `VACUUM`
 * of the purged tables (dead tuples are made reusable, not overwritten; WAL archives and base backups
 * keep old pages, which is why deletion relies on destroyed keys).
 */
export async function physicalScrub(app: App, maxWaitMs = 30_000): Promise<ScrubOutcome> {
  if (app.dialect === 'postgres') {
    for (const t of PURGED_TABLES) await sql.raw(`VACUUM ${t}`).execute(app.db)
    return { physical: 'postgresql: DELETE + VACUUM of the purged tables', complete: true, attempts: 1 }
  }
  const started = Date.now()
  let attempts = 0
  for (;;) {
    attempts++
    const r = await sql<{ busy: number; log: number; checkpointed: number }>`PRAGMA wal_checkpoint(TRUNCATE)`.execute(app.db)
    if (Number(r.rows[0]?.busy ?? 1) === 0) return { physical: 'sqlite: secure_delete=ON + wal_checkpoint(TRUNCATE) not busy', complete: true, attempts }
    if (Date.now() - started > maxWaitMs) return { physical: 'sqlite: secure_delete=ON; wal_checkpoint(TRUNCATE) still busy (a reader held an old snapshot)', complete: false, attempts }
    await sleep(Math.min(50 * attempts, 500))
  }
}
