import type { Executor } from '../../store/schema.js'
import type { RegistriesRepo, RegistryVersion } from '../../store/repos/registries.js'
import type { RowHeads } from '../../store/repos/row-heads.js'
import type { StoreWatch } from './store-watch.js'

/**
 * The list of imported registry versions, cached and stamped by the `registries` change counter,
 * verified against the audit log's head of registry versions whenever it is read from the
 * database (a version deleted or changed behind Dialward is `AUDIT_TAMPERED`).
 */
export class RegistryCatalog {
  readonly #repo: RegistriesRepo
  readonly #db: Executor
  readonly #heads: RowHeads
  #versions: readonly RegistryVersion[] | null = null

  constructor(repo: RegistriesRepo, db: Executor, watch: StoreWatch, heads: RowHeads) {
    this.#repo = repo
    this.#db = db
    this.#heads = heads
    watch.on('registries', () => (this.#versions = null))
  }

  /** Every imported version, oldest first. */
  async versions(): Promise<readonly RegistryVersion[]> {
    if (this.#versions === null) {
      await this.#heads.verifyTable(this.#db, 'registry_versions', 'registries')
      this.#versions = Object.freeze(await this.#repo.versions(this.#db))
    }
    return this.#versions
  }
}
