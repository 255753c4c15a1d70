import type { AbandonmentStats } from '../../core/gate/facts.js'
import { HOUR } from '../../core/time/instant.js'
import type { Executor } from '../../store/schema.js'
import type { Repositories } from '../../store/repos/index.js'
import type { RegistryVersion } from '../../store/repos/registries.js'
import type { StoreWatch } from '../indexes/store-watch.js'
import type { FactSource } from './fact-source.js'
import { CALL_LOOKBACK, gateRecord, type SubjectRecord } from './gate-record.js'

/** Facts read from the database for each decision (the command line: one process per check). */
export class StoredFacts implements FactSource {
  readonly #repos: Repositories
  readonly #db: Executor
  readonly #watch: StoreWatch

  constructor(repos: Repositories, db: Executor, watch: StoreWatch) {
    this.#repos = repos
    this.#db = db
    this.#watch = watch
  }

  async refresh(): Promise<void> {
    await this.#watch.sync(this.#db)
  }

  async records(bidxs: readonly string[], at: number): Promise<ReadonlyMap<string, SubjectRecord | undefined>> {
    const files = await this.#repos.subjectRecords.read(this.#db, { bidx: bidxs }, { sealed: false, callsSince: at - CALL_LOOKBACK })
    return new Map(bidxs.map((b) => [b, gateRecord(files.get(b))]))
  }

  async listedOn(versions: readonly RegistryVersion[], national: number): Promise<ReadonlySet<string>> {
    const out = new Set<string>()
    for (const v of versions) if (await this.#repos.registries.isListed(this.#db, v, national)) out.add(v.id)
    return out
  }

  abandonment(campaignId: string, at: number, periodHours: number): Promise<AbandonmentStats> {
    return this.#repos.calls.abandonment(this.#db, campaignId, at - periodHours * HOUR, at)
  }
}
