import type { Executor } from '../schema.js'
import type { Capabilities } from '../dialects/capabilities.js'

/**
 * What a write can change, as far as caches in other processes care: subject records (consent,
 * do-not-call, reassigned results, calls, suppressions), registries, data keys, campaigns,
 * emergencies.
 */
export const CHANGE_TOPICS = ['subjects', 'registries', 'keys', 'campaigns', 'emergencies', 'apikeys'] as const
export type ChangeTopic = (typeof CHANGE_TOPICS)[number]

/** The version of every topic (0 for a topic never changed). */
export type ChangeVersions = Readonly<Record<ChangeTopic, number>>

/**
 * Change counters: every write bumps the counter of each topic it changes, in its own
 * transaction, and (on PostgreSQL) notifies listeners when it commits. A cache stamped with the
 * versions it was built from is stale as soon as a counter moved.
 */
export const changes = {
  /**
   * Bumps `topic` inside a write transaction and logs which `keys` (blind indexes of subjects)
   * changed at the new version, so a long-lived process can reload exactly those. The counter
   * row is locked until commit, so versions are gap-free and follow commit order.
   */
  async bump(trx: Executor, dialect: Capabilities, topic: ChangeTopic, keys: ReadonlySet<string> = new Set(), at: number = Date.now()): Promise<number> {
    await trx
      .insertInto('changes')
      .values({ topic, version: 1 })
      .onConflict((oc) => oc.column('topic').doUpdateSet((eb) => ({ version: eb('changes.version', '+', 1) })))
      .execute()
    const row = await trx.selectFrom('changes').select('version').where('topic', '=', topic).executeTakeFirstOrThrow()
    const version = Number(row.version)
    const rows = [...keys].map((key) => ({ topic, version, key, at }))
    await dialect.insertMany(trx, 'change_log', rows)
    await dialect.notifyChange(trx, topic)
    return version
  },

  /**
   * The keys of `topic` changed after version `after`, the newest version logged (`after` when
   * none), and whether every version from `after + 1` to it is in the log (a bump that logged no
   * keys, or a log pruned past `after`, leaves a hole: the caller must reload everything).
   */
  async since(ex: Executor, topic: ChangeTopic, after: number): Promise<{ keys: Set<string>; version: number; contiguous: boolean }> {
    const rows = await ex.selectFrom('change_log').select(['version', 'key']).where('topic', '=', topic).where('version', '>', after).execute()
    let version = after
    const keys = new Set<string>()
    const seen = new Set<number>()
    for (const r of rows) {
      keys.add(r.key)
      const v = Number(r.version)
      seen.add(v)
      version = Math.max(version, v)
    }
    return { keys, version, contiguous: seen.size === version - after }
  },

  /** Drops change-log rows older than `before` (they only need to outlive the slowest poller). */
  async prune(trx: Executor, before: number): Promise<number> {
    return Number((await trx.deleteFrom('change_log').where('at', '<', before).executeTakeFirst()).numDeletedRows)
  },

  /** Every topic's current version (one small read). */
  async versions(ex: Executor): Promise<ChangeVersions> {
    const out: Record<string, number> = Object.fromEntries(CHANGE_TOPICS.map((t) => [t, 0]))
    for (const r of await ex.selectFrom('changes').select(['topic', 'version']).execute()) out[r.topic] = Number(r.version)
    return out as ChangeVersions
  },
}
