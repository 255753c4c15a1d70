import type { Executor } from '../../store/schema.js'
import { changes, CHANGE_TOPICS, type ChangeTopic, type ChangeVersions } from '../../store/repos/changes.js'

/**
 * Keeps this process's caches honest: each cache registers what to drop when a topic changes;
 * `sync` reads the change counters (one small query) and drops every cache whose topic moved
 * since the last sync. Writes made by this process drop the caches of their topics at once.
 * Caches are therefore stamped with the versions they were built from.
 */
export class StoreWatch {
  #seen: ChangeVersions | null = null
  readonly #listeners = new Map<ChangeTopic, Array<(keys: ReadonlySet<string> | null) => void>>()

  /**
   * Registers `drop` to run whenever `topic` changes, with the keys that changed when this
   * process made the change itself (`null`: unknown, drop everything of the topic).
   */
  on(topic: ChangeTopic, drop: (keys: ReadonlySet<string> | null) => void): void {
    const list = this.#listeners.get(topic) ?? []
    list.push(drop)
    this.#listeners.set(topic, list)
  }

  /** Reads the counters and drops the caches of every topic that moved; returns the versions seen. */
  async sync(ex: Executor): Promise<ChangeVersions> {
    const now = await changes.versions(ex)
    const before = this.#seen
    this.#seen = now
    for (const topic of CHANGE_TOPICS) {
      if (before === null || before[topic] !== now[topic]) this.changed(topic, null)
    }
    return now
  }

  /** Drops the caches of a topic this process just changed (`keys`: what changed, when known). */
  changed(topic: ChangeTopic, keys: ReadonlySet<string> | null): void {
    for (const drop of this.#listeners.get(topic) ?? []) drop(keys)
  }
}
