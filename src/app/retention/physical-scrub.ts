import type { ReclaimOutcome } from '../../store/dialects/capabilities.js'
import type { Store } from '../../store/store.js'

/** Tables a purge or erasure deletes from. */
export const PURGED_TABLES = ['consent_events', 'dnc_entries', 'reassigned_checks', 'calls', 'subjects', 'decisions', 'registry_pages', 'registry_versions', 'disclosures', 'data_keys'] as const

/** How the deleted bytes were removed from the storage files. */
export type ScrubOutcome = ReclaimOutcome

/** Removes deleted rows from the storage files by the engine's secure-delete capability (`store.dialect.reclaimDeleted`). */
export function physicalScrub(store: Store, maxWaitMs = 30_000): Promise<ScrubOutcome> {
  return store.dialect.reclaimDeleted(PURGED_TABLES, maxWaitMs)
}
