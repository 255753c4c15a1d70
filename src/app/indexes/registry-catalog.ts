import type { Executor } from '../../store/schema.js'
import type { RegistriesRepo, RegistryVersion } from '../../store/repos/registries.js'
import type { StoreWatch } from './store-watch.js'

/** The list of imported registry versions, cached and stamped by the `registries` change counter. */
export class RegistryCatalog {
  readonly #repo: RegistriesRepo
  readonly #db: Executor
  #versions: readonly RegistryVersion[] | null = null

  constructor(repo: RegistriesRepo, db: Executor, watch: StoreWatch) {
    this.#repo = repo
    this.#db = db
    watch.on('registries', () => (this.#versions = null))
  }

  /** Every imported version, oldest first. */
  async versions(): Promise<readonly RegistryVersion[]> {
    this.#versions ??= Object.freeze(await this.#repo.versions(this.#db))
    return this.#versions
  }
}
