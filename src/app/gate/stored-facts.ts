import type { AbandonmentStats } from '../../core/gate/facts.js'
import { HOUR } from '../../core/time/instant.js'
import type { Executor } from '../../store/schema.js'
import type { Repositories } from '../../store/repos/index.js'
import type { RegistryVersion } from '../../store/repos/registries.js'
import type { StoreWatch } from '../indexes/store-watch.js'
import type { FactSource } from './fact-source.js'
import { CALL_LOOKBACK, gateRecord, type SubjectRecord } from './gate-record.js'
import { callsSince, readVerified } from './verified-records.js'

/** Facts read from the database for each decision (the command line: one process per check). */
export class StoredFacts implements FactSource {
  readonly #repos: Repositories
  readonly #db: Executor
  readonly #watch: StoreWatch
  /** Registry versions whose page count was verified against their head (every page is also authenticated by its encryption). */
  readonly #wholeVersions = new Set<string>()

  constructor(repos: Repositories, db: Executor, watch: StoreWatch) {
    this.#repos = repos
    this.#db = db
    this.#watch = watch
    watch.on('registries', () => this.#wholeVersions.clear())
  }

  async refresh(): Promise<void> {
    await this.#watch.sync(this.#db)
  }

  async records(bidxs: readonly string[], at: number): Promise<ReadonlyMap<string, SubjectRecord | undefined>> {
    const files = await readVerified(this.#db, this.#repos, { bidx: bidxs })
    return new Map(bidxs.map((b) => {
      const file = files.get(b)
      return [b, gateRecord(file && callsSince(file, at - CALL_LOOKBACK))]
    }))
  }

  async listedOn(versions: readonly RegistryVersion[], national: number): Promise<ReadonlySet<string>> {
    const out = new Set<string>()
    for (const v of versions) {
      if (!this.#wholeVersions.has(v.id)) {
        await this.#repos.rowHeads.verifyPageCount(this.#db, v.id)
        this.#wholeVersions.add(v.id)
      }
      if (await this.#repos.registries.isListed(this.#db, v, national)) out.add(v.id)
    }
    return out
  }

  abandonment(campaignId: string, at: number, periodHours: number): Promise<AbandonmentStats> {
    return this.#repos.calls.abandonment(this.#db, campaignId, at - periodHours * HOUR, at)
  }
}
