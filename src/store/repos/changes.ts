import type { Executor } from '../schema.js'
import type { Capabilities } from '../dialects/capabilities.js'

/**
 * What a write can change, as far as caches in other processes care: subject records (consent,
 * do-not-call, reassigned results, calls, suppressions), registries, data keys, campaigns,
 * emergencies.
 */
export const CHANGE_TOPICS = ['subjects', 'registries', 'keys', 'campaigns', 'emergencies'] as const
export type ChangeTopic = (typeof CHANGE_TOPICS)[number]

/** The version of every topic (0 for a topic never changed). */
export type ChangeVersions = Readonly<Record<ChangeTopic, number>>

/**
 * Change counters: every write bumps the counter of each topic it changes, in its own
 * transaction, and (on PostgreSQL) notifies listeners when it commits. A cache stamped with the
 * versions it was built from is stale as soon as a counter moved.
 */
export const changes = {
  /** Bumps `topic` inside a write transaction. */
  async bump(trx: Executor, dialect: Capabilities, topic: ChangeTopic): Promise<void> {
    await trx
      .insertInto('changes')
      .values({ topic, version: 1 })
      .onConflict((oc) => oc.column('topic').doUpdateSet((eb) => ({ version: eb('changes.version', '+', 1) })))
      .execute()
    await dialect.notifyChange(trx, topic)
  },

  /** Every topic's current version (one small read). */
  async versions(ex: Executor): Promise<ChangeVersions> {
    const out: Record<string, number> = Object.fromEntries(CHANGE_TOPICS.map((t) => [t, 0]))
    for (const r of await ex.selectFrom('changes').select(['topic', 'version']).execute()) out[r.topic] = Number(r.version)
    return out as ChangeVersions
  },
}
