import { createHash, randomUUID } from 'node:crypto'
import type { RegistryId } from '../../core/dnc/registry-id.js'
import { digestChunks } from '../../core/dnc/page-codec.js'
import { formatInstant } from '../../core/time/instant.js'
import { registryFreshness, type RegistryFreshness } from '../../core/dnc/registry-freshness.js'
import type { Executor } from '../../store/schema.js'
import type { Repositories } from '../../store/repos/index.js'
import type { SealedPage } from '../../store/repos/registries.js'
import { readRegistryFile } from '../files/read-registry-file.js'
import type { RequestContext } from '../context.js'
import type { UnitOfWork } from '../unit-of-work.js'

/** A registry file to import as a new version. */
export interface RegistryImportInput {
  readonly registry: RegistryId
  /** A readable regular file (plain or gzip). */
  readonly file: string
  /** The registry's as-of date, 00:00 UTC. */
  readonly asOf: number
  /** Skip and count malformed lines instead of refusing the file. */
  readonly skipInvalid: boolean
}

export interface RegistryImportResult {
  readonly id: string
  readonly registry: string
  readonly asOf: string
  readonly numbers: number
  readonly lines: number
  readonly duplicates: number
  readonly skipped: number
  readonly contentSha256: string
}

/** Pages sealed before they are written (memory stays bounded). */
const PAGES_PER_BATCH = 1_000

/** National and state do-not-call registries: versions imported from the files the FTC, the CRTC and the TPS deliver. */
export class RegistryService {
  readonly #uow: UnitOfWork
  readonly #repos: Repositories
  readonly #db: Executor
  readonly #clock: () => number

  constructor(uow: UnitOfWork, repos: Repositories, db: Executor, clock: () => number) {
    this.#uow = uow
    this.#repos = repos
    this.#db = db
    this.#clock = clock
  }

  /**
   * Registry freshness today (or at `at`): per registry, the version in force, its as-of date, age
   * and whether it still serves calls (31 days US/CA, 28 UK), stale first.
   *
   * MERGE NOTE (issue 9): this is the one place the dashboard and `GET /v1/registries/status` read
   * freshness from. Versions here cover their whole registry (`areaCodes: 'all'`); when per-area-code
   * coverage and `dialward registry status` land, swap this body for that status (one row per
   * registry and area code range) and keep the row fields.
   */
  async status(at: number = this.#clock()): Promise<{ at: string; registries: RegistryFreshness[] }> {
    return { at: formatInstant(at), registries: registryFreshness(await this.#repos.registries.versionStamps(this.#db), at) }
  }

  /**
   * Imports a registry file as a new version with its as-of date. The whole file is parsed before
   * anything is written; a malformed line refuses the file (naming the line) and the previous
   * version stays in force. Pages are sealed under the version's own data key, in one unit of
   * work, so a version is visible whole or not at all.
   */
  async import(ctx: RequestContext, input: RegistryImportInput): Promise<RegistryImportResult> {
    const parsed = await readRegistryFile(input.file, input.registry.id, { skipInvalid: input.skipInvalid })
    const { bitset } = parsed
    const content = createHash('sha256')
    for (const chunk of digestChunks(bitset)) content.update(chunk)
    const contentSha256 = content.digest('hex')
    const id = `reg_${randomUUID()}`
    const asOf = formatInstant(input.asOf).slice(0, 10)
    return this.#uow.write(ctx, 'registry.import', async (tx) => {
      const key = await this.#repos.dataKeys.create(tx.db, 'registry', tx.now)
      await this.#repos.registries.insertVersion(tx.db, { id, registry: input.registry.id, asOf: input.asOf, importedAt: tx.now, keyId: key.id, numbers: bitset.size, lines: parsed.lines, contentSha256 })
      let batch: SealedPage[] = []
      for (const prefix of bitset.prefixes()) {
        batch.push(this.#repos.registries.sealPage(key, id, prefix, bitset.page(prefix)!))
        if (batch.length >= PAGES_PER_BATCH) {
          await this.#repos.registries.insertPages(tx.db, batch)
          batch = []
        }
      }
      await this.#repos.registries.insertPages(tx.db, batch)
      tx.changed('registries')
      const result: RegistryImportResult = { id, registry: input.registry.id, asOf, numbers: bitset.size, lines: parsed.lines, duplicates: parsed.duplicates, skipped: parsed.skipped, contentSha256 }
      return { result, audit: { subject: null, data: { version: id, registry: input.registry.id, asOf, numbers: bitset.size, lines: parsed.lines, skipped: parsed.skipped, contentSha256 } } }
    })
  }
}
