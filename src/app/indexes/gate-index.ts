import { PackedRegistry } from '../../core/dnc/packed-registry.js'
import { AREA_NUMBERS } from '../../core/dnc/area-block.js'
import type { AbandonmentStats } from '../../core/gate/facts.js'
import { DAY, HOUR, MINUTE } from '../../core/time/instant.js'
import type { Executor } from '../../store/schema.js'
import type { Capabilities } from '../../store/dialects/capabilities.js'
import type { Repositories } from '../../store/repos/index.js'
import { versionInForce, type RegistryVersion } from '../../store/repos/registries.js'
import { changes } from '../../store/repos/changes.js'
import type { FactSource } from '../gate/fact-source.js'
import { CALL_LOOKBACK, gateRecord, type SubjectRecord } from '../gate/gate-record.js'
import type { StoredFacts } from '../gate/stored-facts.js'
import type { StoreWatch } from './store-watch.js'
import type { RegistryCatalog } from './registry-catalog.js'
import { DialwardError, isError } from '../../core/errors.js'
import { callsSince, readVerified } from '../gate/verified-records.js'

/** How often the index looks for changes made by other processes (PostgreSQL also pushes them). */
export const POLL_MS = 200
/** How long a campaign's abandonment figures are reused (an aggregate over hours or days). */
const ABANDONMENT_TTL_MS = 1_000
/** Change-log rows older than this are pruned (a process that lagged longer reloads everything). */
const CHANGE_LOG_KEEP_MS = HOUR
const PRUNE_EVERY_MS = MINUTE

/**
 * The gate's facts in memory, for a long-lived server: every subject's gate record by blind
 * index, the registry bitsets of the versions in use, and campaign abandonment figures. Rebuilt
 * from the database at start; kept current by this process's own writes at once (the unit of work
 * reports the blind indexes it changed) and by other processes' writes within `POLL_MS` (the
 * change log, read on a timer and on PostgreSQL notifications, and before each decision: one
 * small query of the change counters, shared by the decisions waiting for it). No fact is read per check.
 */
export class GateIndex implements FactSource {
  readonly #repos: Repositories
  readonly #db: Executor
  readonly #dialect: Capabilities
  readonly #watch: StoreWatch
  readonly #catalog: RegistryCatalog
  readonly #fallback: StoredFacts
  readonly #clock: () => number
  #records = new Map<string, SubjectRecord>()
  /** Calls at or after this instant are held; decisions at an earlier `at` read stored rows. */
  #callsFrom = 0
  #version = 0
  readonly #dirty = new Set<string>()
  #fullReload = false
  /** Area blocks by `version:area`, loaded on first use (those in force now are loaded at start). */
  readonly #blocks = new Map<string, Promise<PackedRegistry>>()
  /** By `campaign|periodHours`. */
  readonly #abandonment = new Map<string, { at: number; fetched: number; stats: AbandonmentStats }>()
  #timer: NodeJS.Timeout | null = null
  #unsubscribe: (() => Promise<void>) | null = null
  #syncing: Promise<void> | null = null
  /** Why the store failed verification (rows changed behind Dialward): checks are then refused. */
  #tampered: string | null = null
  /** Registry versions whose page count was verified against their head (every block is also authenticated by its encryption). */
  readonly #wholeVersions = new Map<string, Promise<void>>()
  #pruned = 0
  /** True while a pass is applying keys it took from `#dirty` (they are neither dirty nor applied yet). */
  #applying = false
  /** Decisions that asked for a refresh (numbered), and the highest whose pass has completed. */
  #requested = 0
  #passed = 0

  constructor(deps: { repos: Repositories; db: Executor; dialect: Capabilities; watch: StoreWatch; catalog: RegistryCatalog; fallback: StoredFacts; clock: () => number }) {
    this.#repos = deps.repos
    this.#db = deps.db
    this.#dialect = deps.dialect
    this.#watch = deps.watch
    this.#catalog = deps.catalog
    this.#fallback = deps.fallback
    this.#clock = deps.clock
    // this process's own writes name their subjects at once; other processes' come through the
    // change log (a counter move without logged keys, or a log pruned past us, reloads everything)
    deps.watch.on('subjects', (keys) => {
      if (keys !== null) for (const k of keys) this.#dirty.add(k)
    })
    deps.watch.on('registries', () => {
      this.#blocks.clear()
      this.#wholeVersions.clear()
      void this.#preload().catch(() => undefined)
    })
  }

  /** Loads everything and starts following changes. */
  async start(): Promise<void> {
    await this.#watch.sync(this.#db)
    await this.#loadAll()
    await this.#preload()
    // a failed background pass is retried by the next; a decision's own refresh sees the error
    const background = (): void => void this.#poll().catch(() => undefined)
    this.#timer = setInterval(background, POLL_MS)
    this.#timer.unref()
    this.#unsubscribe = await this.#dialect.subscribeChanges(background)
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = null
    await this.#unsubscribe?.()
    this.#unsubscribe = null
    await this.#syncing
  }

  /**
   * Makes a decision see every write acknowledged before it began, by this process or another:
   * waits for a pass that STARTED after this call (it reads the change counters, one small query
   * shared by every decision waiting for it; a pass already under way may predate the write),
   * then runs passes until none of this process's own writes is pending. Without the first part a
   * check on one server right after a write acknowledged by another process (or the CLI) answered
   * from the index as it was, up to `POLL_MS` (or a notification) late.
   */
  async refresh(): Promise<void> {
    const ticket = ++this.#requested
    while (this.#passed < ticket || this.#fullReload || this.#dirty.size > 0 || this.#applying) await this.#poll()
  }

  /** Why the store failed verification, or `null`; readiness reports it and checks are refused. */
  get tampered(): string | null {
    return this.#tampered
  }

  async records(bidxs: readonly string[], at: number): Promise<ReadonlyMap<string, SubjectRecord | undefined>> {
    if (this.#tampered !== null) throw new DialwardError('AUDIT_TAMPERED', this.#tampered)
    if (at - CALL_LOOKBACK < this.#callsFrom) return this.#fallback.records(bidxs, at)
    return new Map(bidxs.map((b) => [b, this.#records.get(b)]))
  }

  async listedOn(versions: readonly RegistryVersion[], national: number): Promise<ReadonlySet<string>> {
    if (this.#tampered !== null) throw new DialwardError('AUDIT_TAMPERED', this.#tampered)
    const out = new Set<string>()
    const area = Math.floor(national / AREA_NUMBERS)
    for (const v of versions) if ((await this.#block(v, area)).has(national)) out.add(v.id)
    return out
  }

  /**
   * Abandonment figures per campaign and period, reused for a second and for decisions in the
   * same second (an aggregate over 24 hours or 30 days: the calls of one second do not move it
   * meaningfully, and checks at "now" would otherwise each read it).
   */
  async abandonment(campaignId: string, at: number, periodHours: number): Promise<AbandonmentStats> {
    const now = this.#clock()
    const second = Math.floor(at / 1_000)
    const key = `${campaignId}|${periodHours}`
    const hit = this.#abandonment.get(key)
    if (hit && hit.at === second && now - hit.fetched < ABANDONMENT_TTL_MS) return hit.stats
    const stats = await this.#repos.calls.abandonment(this.#db, campaignId, at - periodHours * HOUR, at)
    this.#abandonment.set(key, { at: second, fetched: now, stats })
    return stats
  }

  /** Subjects held (for readiness and metrics). */
  get size(): number {
    return this.#records.size
  }

  /** One area's numbers on a version (an empty set when it lists none there). */
  #block(v: RegistryVersion, area: number): Promise<PackedRegistry> {
    const key = `${v.id}:${area}`
    let b = this.#blocks.get(key)
    if (!b) {
      b = this.#verified(async () => {
        await this.#wholeVersion(v)
        const bytes = await this.#repos.registries.areaBlock(this.#db, v, area)
        return bytes === null ? PackedRegistry.empty() : PackedRegistry.build([{ area, bytes }])
      })
      b.catch(() => this.#blocks.delete(key))
      this.#blocks.set(key, b)
    }
    return b
  }

  /** Verifies once per version that it still has every block its audited import stored. */
  #wholeVersion(v: RegistryVersion): Promise<void> {
    let w = this.#wholeVersions.get(v.id)
    if (!w) {
      w = this.#repos.rowHeads.verifyPageCount(this.#db, v.id)
      w.catch(() => this.#wholeVersions.delete(v.id))
      this.#wholeVersions.set(v.id, w)
    }
    return w
  }

  /** Loads the block of every area code from the version in force for it now (the first checks pay no read). */
  async #preload(): Promise<void> {
    const versions = await this.#catalog.versions()
    const now = this.#clock()
    const loads: Promise<PackedRegistry>[] = []
    for (const v of versions) {
      for (const area of v.coverage.areas.keys()) if (versionInForce(versions, v.registry, area, now) === v) loads.push(this.#block(v, area))
    }
    await Promise.all(loads)
  }

  /** One pass at a time: other processes' changes (the change log), then this process's. */
  #poll(): Promise<void> {
    if (this.#syncing === null) {
      const covers = this.#requested
      this.#syncing = this.#verified(() => this.#apply())
        .then(() => {
          this.#passed = Math.max(this.#passed, covers)
        })
        .finally(() => {
          this.#syncing = null
        })
    }
    return this.#syncing
  }

  async #apply(): Promise<void> {
    const versions = await this.#watch.sync(this.#db)
    const since = await changes.since(this.#db, 'subjects', this.#version)
    for (const k of since.keys) this.#dirty.add(k)
    // every bump up to the counter must be in the log; otherwise a change is unaccounted for
    const gap = this.#fullReload || versions.subjects > since.version || !since.contiguous
    this.#fullReload = false
    if (gap) {
      this.#dirty.clear()
      this.#applying = true
      try {
        await this.#loadAll()
      } catch (err) {
        this.#fullReload = true
        throw err
      } finally {
        this.#applying = false
      }
      return
    }
    this.#version = since.version
    const keys = [...this.#dirty]
    this.#dirty.clear()
    if (keys.length > 0) {
      this.#applying = true
      try {
        const files = await readVerified(this.#db, this.#repos, { bidx: keys })
        for (const k of keys) {
          const file = files.get(k)
          const record = gateRecord(file && callsSince(file, this.#callsFrom))
          if (record) this.#records.set(k, record)
          else this.#records.delete(k)
        }
      } catch (err) {
        for (const k of keys) this.#dirty.add(k)
        throw err
      } finally {
        this.#applying = false
      }
    }
    // hold only the calls the frequency caps can still see (memory stays bounded)
    const now = this.#clock()
    const from = now - 2 * CALL_LOOKBACK
    if (from - this.#callsFrom > DAY) await this.#loadAll(from)
    if (now - this.#pruned > PRUNE_EVERY_MS) {
      this.#pruned = now
      await changes.prune(this.#db, now - CHANGE_LOG_KEEP_MS)
    }
  }

  async #loadAll(callsFrom = this.#clock() - 2 * CALL_LOOKBACK): Promise<void> {
    const version = (await changes.versions(this.#db)).subjects
    const files = await this.#verified(() => readVerified(this.#db, this.#repos, { all: true }))
    const records = new Map<string, SubjectRecord>()
    for (const [bidx, file] of files) {
      const r = gateRecord(callsSince(file, callsFrom))
      if (r) records.set(bidx, r)
    }
    this.#records = records
    this.#callsFrom = callsFrom
    this.#version = Math.max(this.#version, version)
  }

  /** Runs a read that verifies what it reads; a verification failure marks the index tampered (sticky: readiness fails until restart). */
  async #verified<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await read()
    } catch (err) {
      if (isError(err, 'AUDIT_TAMPERED')) this.#tampered ??= err.message
      throw err
    }
  }
}
