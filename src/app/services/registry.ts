import { createHash } from 'node:crypto'
import { DialwardError, invalidInput } from '../../core/errors.js'
import type { RegistryId } from '../../core/dnc/registry-id.js'
import { AreaBitmaps } from '../../core/dnc/area-bitmaps.js'
import { BITMAP_BYTES, POPCOUNT, forEachPage } from '../../core/dnc/area-block.js'
import { coverageToJson, repeatedVersion, versionInForceFor, type Coverage } from '../../core/dnc/coverage.js'
import { DAY, formatInstant } from '../../core/time/instant.js'
import type { Executor } from '../../store/schema.js'
import type { Repositories } from '../../store/repos/index.js'
import type { RegistryVersion, SealedPage } from '../../store/repos/registries.js'
import { readRegistryFile, type ReadRegistryFileResult, type RegistryEntryReport } from '../files/read-registry-file.js'
import type { RequestContext } from '../context.js'
import type { UnitOfWork } from '../unit-of-work.js'
import type { RegistryCatalog } from '../indexes/registry-catalog.js'
import type { StoreWatch } from '../indexes/store-watch.js'
import { registryStatus, type RegistryStatus } from './registry-status.js'
import { registryFreshness, type RegistryFreshness } from './registry-freshness.js'
import { rowId } from '../../store/row-id.js'

/** A registry file to import as a new version. */
export interface RegistryImportInput {
  readonly registry: RegistryId
  /** A readable file: plain, gzip or ZIP (one or many entries). */
  readonly file: string
  /** The registry's as-of date, 00:00 UTC; not after the import's own time. */
  readonly asOf: number
  /** Skip and count malformed lines instead of refusing the file. */
  readonly skipInvalid: boolean
  /** The area codes the version covers (NANP); `null`/absent: the area codes in the file. */
  readonly areaCodes?: readonly number[] | null | undefined
  /** The file is the whole registry: every area code it lacks then has no listed number. */
  readonly full?: boolean | undefined
  /** The file is a change list (also detected from its records). */
  readonly changes?: boolean | undefined
  /** Called as the file is read (bytes so far, file size), for a progress bar. */
  readonly progress?: ((bytesRead: number, totalBytes: number) => void) | undefined
}

/** The report of an import. */
export interface RegistryImportResult {
  readonly id: string
  readonly registry: string
  readonly asOf: string
  /** `list` (a full list, per area code or whole) or `changes` (a change list applied to the versions in force). */
  readonly kind: 'list' | 'changes'
  /** Distinct numbers the new version lists. */
  readonly numbers: number
  readonly lines: number
  readonly duplicates: number
  readonly skipped: number
  readonly contentSha256: string
  /** Whether the version is the whole registry. */
  readonly full: boolean
  /** The area codes it covers by name (every area code when `full`; empty for UK TPS). */
  readonly areaCodes: readonly string[]
  /** Numbers listed now that the versions in force for the same area codes did not list. */
  readonly added: number
  /** Numbers the versions in force listed that this version does not. */
  readonly removed: number
  /** Change lists: the records, and those that changed nothing. */
  readonly changes: { readonly adds: number; readonly deletes: number; readonly addsOfListed: number; readonly deletesOfUnlisted: number } | null
  /** What each file (or ZIP entry) held. */
  readonly entries: readonly RegistryEntryReport[]
  /** The versions the new one takes over from or builds on (change lists), per area code range. */
  readonly basedOn: readonly string[]
  /**
   * The import repeated the version `id` (same content, same as-of date, nothing imported over its
   * area codes since): nothing was stored — a retry after a lost reply is harmless.
   */
  readonly unchanged: boolean
}

/** What the registry service is built from. */
export interface RegistryDeps {
  readonly uow: UnitOfWork
  readonly repos: Repositories
  readonly db: Executor
  readonly watch: StoreWatch
  readonly catalog: RegistryCatalog
  readonly clock: () => number
}

const CONTENT_HEADER = 'dialward registry content v2\n'

/** Blocks written per staging transaction, at most (ADR 0015). */
const STAGE_BLOCKS = 64
/** Block bytes written per staging transaction, at most (one block may exceed it alone: up to 1.25 MB). */
const STAGE_BYTES = 4 * 1024 * 1024
/** Blocks deleted per transaction when a staged version is discarded. */
const DISCARD_BLOCKS = 16
/** A staged version no batch touched for this long was left by an import that died (ADR 0015). */
export const STAGE_ABANDONED_MS = 10 * 60_000

/** The bookkeeping setting holding when a staged version's last batch was written. */
const stagingKey = (id: string): string => `registry.staging.${id}`

/** National and state do-not-call registries: versions imported from the files the FTC, the CRTC and the TPS deliver. */
export class RegistryService {
  readonly #d: RegistryDeps

  constructor(deps: RegistryDeps) {
    this.#d = deps
  }

  /**
   * Imports a registry file as a new version with its as-of date (CONTRACT "Registry coverage").
   * A NANP version covers the area codes named (`areaCodes`), else those in the file, or every
   * area code (`full`); importing area code 305 replaces 305 only. A change list is applied to
   * the versions in force for its area codes at its as-of date, as a new version (no rebuild of
   * the others). The whole file is parsed and checked before anything is written; an import that
   * covers nothing, a future as-of date, a malformed line, or a change list without a version to
   * apply to is refused and the versions in force stay. Blocks are sealed under the version's own
   * data key and written into a staged version in bounded units of work; one last short unit of
   * work switches it active, so a version is visible whole or not at all and no transaction holds
   * the write lock long (ADR 0015). Staged versions left by imports that died are discarded first.
   */
  async import(ctx: RequestContext, input: RegistryImportInput): Promise<RegistryImportResult> {
    const { repos, db, uow, catalog, clock, watch } = this.#d
    await watch.sync(db)
    const registry = input.registry
    const nanp = registry.format === 'nanp'
    const full = input.full === true
    const named = input.areaCodes ?? null
    const now = clock()
    if (input.asOf > now) {
      throw invalidInput('asOf', `${formatInstant(input.asOf).slice(0, 10)} is after today (${formatInstant(now).slice(0, 10)}): a registry cannot be dated in the future`)
    }
    if (full && named !== null) throw invalidInput('areaCodes', 'cannot be combined with --full (a whole registry covers every area code)')
    if (!nanp && named !== null) throw invalidInput('areaCodes', `${registry.id} has no area codes: each version is the whole registry`)
    let allowedAreas: Uint8Array | null = null
    if (named !== null) {
      allowedAreas = new Uint8Array(1000)
      for (const a of named) allowedAreas[a] = 1
    }
    await this.discardAbandoned(ctx, now)
    const file = await readRegistryFile(input.file, registry.id, { skipInvalid: input.skipInvalid, allowedAreas, changes: input.changes === true, progress: input.progress })
    const versions = (await catalog.versions()).filter((v) => v.registry === registry.id)
    const built = file.kind === 'changes' ? await this.#applyChanges(file, versions, input, named, full) : await this.#list(file, versions, input, named, full)
    const { set, coverage } = built
    // encode every area holding numbers; the content hash covers coverage and blocks
    const content = createHash('sha256').update(CONTENT_HEADER).update(coverageToJson(coverage))
    const blocks: Array<{ area: number; bytes: Uint8Array }> = []
    for (const area of set.areaList()) {
      const block = set.encode(area)
      if (block === null) continue
      blocks.push({ area, bytes: block.bytes })
      const head = Buffer.alloc(4)
      head.writeUInt32BE(area)
      content.update(head).update(block.bytes)
    }
    const contentSha256 = content.digest('hex')
    const id = rowId('reg')
    const asOf = formatInstant(input.asOf).slice(0, 10)
    const areaCodes = nanp ? [...coverage.areas.keys()].sort((a, b) => a - b).map(String) : []
    const result: RegistryImportResult = {
      id,
      registry: registry.id,
      asOf,
      kind: file.kind,
      numbers: set.size,
      lines: file.lines,
      duplicates: file.duplicates,
      skipped: file.skipped,
      contentSha256,
      full: coverage.full,
      areaCodes,
      added: built.added,
      removed: built.removed,
      changes: built.changes,
      entries: file.entries,
      basedOn: built.basedOn,
      unchanged: false,
    }
    const repeated = repeatedVersion(versions, registry.id, input.asOf, contentSha256)
    if (repeated !== null) return { ...result, id: repeated.id, unchanged: true }
    const details = { kind: result.kind, container: file.container, entries: file.entries, added: result.added, removed: result.removed, changes: result.changes, basedOn: result.basedOn, lines: file.lines, skipped: file.skipped, duplicates: file.duplicates }
    // ADR 0015: the version is staged (invisible), its blocks written in bounded units of work,
    // then switched active in one short unit of work: no transaction holds the write lock long.
    const staged = await uow.write(ctx, 'registry.stage', async (tx) => {
      const key = await repos.dataKeys.create(tx.db, 'registry', tx.now)
      const record = { id, registry: registry.id, asOf: input.asOf, importedAt: tx.now, keyId: key.id, coverage, numbers: set.size, lines: file.lines, contentSha256, details }
      await repos.registries.insertStaged(tx.db, record)
      await repos.settings.put(tx.db, stagingKey(id), String(tx.now))
      return { result: { key, record }, audit: { subject: null, data: { version: id, registry: registry.id, asOf, stage: 'open', blocks: blocks.length } } }
    })
    for (let i = 0; i < blocks.length; ) {
      // seal the next bounded batch before taking the write lock
      const sealed: SealedPage[] = []
      let bytes = 0
      while (i < blocks.length && (sealed.length === 0 || (sealed.length < STAGE_BLOCKS && bytes + blocks[i]!.bytes.byteLength <= STAGE_BYTES))) {
        sealed.push(repos.registries.sealBlock(staged.key, id, blocks[i]!.area, blocks[i]!.bytes))
        bytes += blocks[i]!.bytes.byteLength
        i++
      }
      await uow.write(ctx, 'registry.stage', async (tx) => {
        for (let j = 0; j < sealed.length; j += 16) await repos.registries.insertBlocks(tx.db, sealed.slice(j, j + 16))
        await repos.settings.put(tx.db, stagingKey(id), String(tx.now))
        return { result: undefined, audit: { subject: null, data: { version: id, stage: 'blocks', blocks: sealed.length, areas: `${sealed[0]!.prefix}-${sealed.at(-1)!.prefix}` } } }
      })
    }
    return uow.write(ctx, 'registry.import', async (tx) => {
      if (!(await repos.registries.activate(tx.db, staged.record, tx.now))) {
        throw new DialwardError('INTERNAL', `registry version ${id} was discarded while it was being imported (another import took it for abandoned): import the file again`)
      }
      await repos.settings.remove(tx.db, stagingKey(id))
      tx.changed('registries')
      return {
        result,
        audit: {
          subject: null,
          data: {
            version: id,
            registry: registry.id,
            asOf,
            kind: file.kind,
            full: coverage.full,
            areaCodes: areaCodes.length,
            numbers: set.size,
            added: result.added,
            removed: result.removed,
            lines: file.lines,
            skipped: file.skipped,
            contentSha256,
          },
        },
      }
    })
  }

  /**
   * Discards staged versions left behind by imports that died (ADR 0015): a staged version no
   * batch has touched for {@link STAGE_ABANDONED_MS}. Its data key is destroyed with the first
   * batch, its blocks deleted a bounded batch per audited transaction, then its row. Returns the
   * versions discarded. `registry import` calls it first; nothing reads a staged version meanwhile.
   */
  async discardAbandoned(ctx: RequestContext, now: number = this.#d.clock()): Promise<string[]> {
    const { repos, db, uow } = this.#d
    const out: string[] = []
    for (const v of await repos.registries.staged(db)) {
      const touched = Number((await repos.settings.get(db, stagingKey(v.id))) ?? v.stagedAt)
      if (now - touched < STAGE_ABANDONED_MS) continue
      for (;;) {
        const done = await uow.write(ctx, 'registry.discard', async (tx) => {
          const keyDestroyed = await repos.dataKeys.destroy(tx.db, v.keyId, tx.now)
          const blocks = await repos.registries.deletePages(tx.db, v.id, DISCARD_BLOCKS)
          const last = blocks < DISCARD_BLOCKS
          const versionDeleted = last && (await repos.registries.deleteVersion(tx.db, v.id))
          if (last) await repos.settings.remove(tx.db, stagingKey(v.id))
          if (keyDestroyed) tx.changed('keys')
          return { result: last, audit: { subject: null, data: { version: v.id, registry: v.registry, keyDestroyed, blocks, versionDeleted } } }
        })
        if (done) break
      }
      out.push(v.id)
    }
    return out
  }

  /** The page a compliance officer opens every morning: per registry and area-code range, the version in force and whether it is fresh today (or at `at`). */
  async status(at: number = this.#d.clock()): Promise<RegistryStatus> {
    await this.#d.watch.sync(this.#d.db)
    return registryStatus(await this.#d.catalog.versions(), at)
  }

  /** The same status as the dashboard's freshness table (`GET /v1/registries/status`): a row per registry and range, stale first, missing national registries listed. */
  async freshness(at: number = this.#d.clock()): Promise<{ at: string; registries: RegistryFreshness[] }> {
    return { at: formatInstant(at), registries: registryFreshness(await this.status(at)) }
  }

  /** A full list: its coverage, and what it adds and removes against the versions in force. */
  async #list(file: ReadRegistryFileResult, versions: readonly RegistryVersion[], input: RegistryImportInput, named: readonly number[] | null, full: boolean): Promise<Built> {
    const nanp = input.registry.format === 'nanp'
    const set = file.bitset
    const inFile = new Set([...set.areaList(), ...file.declaredAreas])
    const whole = !nanp || full || file.declaredWhole
    if (whole && set.size === 0) {
      throw new DialwardError('INVALID_REGISTRY_FILE', 'the file holds no number: refusing a whole registry with no listing (it would lift every listing); name the area codes it covers with --area-codes', 'file')
    }
    const covered = whole ? inFile : named !== null ? new Set(named) : inFile
    if (covered.size === 0) {
      throw new DialwardError('INVALID_REGISTRY_FILE', 'the file holds no number and no area code is named: the import covers nothing (use --area-codes NPA,… for area codes with no listed number)', 'file')
    }
    const areas = new Map<number, number>()
    for (const a of covered) areas.set(a, 0)
    for (const a of set.areaList()) areas.set(a, set.count(a))
    const coverage: Coverage = { full: whole, areas }
    // what changes for calls: per area code, against the version in force for it at this as-of
    let added = 0
    let removed = 0
    const basedOn = new Set<string>()
    const areasToCompare = new Set<number>(areas.keys())
    if (whole) for (const v of versions) for (const [a, n] of v.coverage.areas) if (n > 0) areasToCompare.add(a)
    for (const area of [...areasToCompare].sort((a, b) => a - b)) {
      const prev = versionInForceFor(versions, input.registry.id, nanp ? area : null, input.asOf)
      const now = areas.get(area) ?? 0
      if (prev === null) {
        added += now
        continue
      }
      basedOn.add(prev.id)
      const prevCount = prev.layout === 'pages' ? -1 : (prev.coverage.areas.get(area) ?? 0)
      if (prevCount === 0) {
        added += now
        continue
      }
      const prevBlock = await this.#d.repos.registries.areaBlock(this.#d.db, prev, area)
      if (prevBlock === null) {
        added += now
        continue
      }
      const d = diffArea(set, area, prevBlock)
      added += d.added
      removed += d.removed
    }
    return { set, coverage, added, removed, changes: null, basedOn: [...basedOn] }
  }

  /** A change list applied to the versions in force for its area codes, as a new version. */
  async #applyChanges(file: ReadRegistryFileResult, versions: readonly RegistryVersion[], input: RegistryImportInput, named: readonly number[] | null, full: boolean): Promise<Built> {
    const registry = input.registry.id
    const nanp = input.registry.format === 'nanp'
    const ops = file.changes!.ops
    const touched = new Set<number>()
    for (let i = 0; i < ops.length; i++) touched.add(Math.floor(Math.abs(ops[i]!) / 10_000_000))
    // the area codes the change list brings up to date
    let scope: Set<number>
    let whole = !nanp
    if (!nanp) scope = new Set(touched)
    else if (named !== null) scope = new Set(named)
    else if (full) {
      scope = new Set(touched)
      for (const v of versions) for (const a of v.coverage.areas.keys()) scope.add(a)
      whole = versionInForceFor(versions, registry, null, input.asOf) !== null
    } else scope = touched
    if (nanp && scope.size === 0) {
      throw new DialwardError('INVALID_REGISTRY_FILE', 'the change list holds no record and no area code is named: it covers nothing (use --area-codes NPA,… or --full)', 'file')
    }
    const set = new AreaBitmaps()
    const basedOn = new Set<string>()
    const areas = new Map<number, number>()
    const loadBase = async (v: RegistryVersion, list: readonly number[] | undefined): Promise<void> => {
      for (const b of await this.#d.repos.registries.areaBlocks(this.#d.db, v, list)) set.load(b.area, b.bytes)
    }
    if (!nanp) {
      const base = versionInForceFor(versions, registry, null, input.asOf)
      if (base === null) throw new DialwardError('INVALID_REGISTRY_FILE', `no version of ${registry} is in force at ${formatInstant(input.asOf).slice(0, 10)}: a change list needs the list it changes (import the full list first)`, 'file')
      basedOn.add(base.id)
      await loadBase(base, undefined)
    } else {
      const byBase = new Map<RegistryVersion, number[]>()
      if (whole) {
        const wholeBase = versionInForceFor(versions, registry, null, input.asOf)!
        basedOn.add(wholeBase.id)
      }
      for (const area of [...scope].sort((a, b) => a - b)) {
        const base = versionInForceFor(versions, registry, area, input.asOf)
        if (base === null) {
          throw new DialwardError('INVALID_REGISTRY_FILE', `no version of ${registry} covers area code ${area} at ${formatInstant(input.asOf).slice(0, 10)}: a change list needs the list it changes (import the full list for ${area} first)`, 'file')
        }
        basedOn.add(base.id)
        byBase.set(base, [...(byBase.get(base) ?? []), area])
      }
      for (const [base, list] of byBase) await loadBase(base, list)
    }
    let addsOfListed = 0
    let deletesOfUnlisted = 0
    let adds = 0
    let deletes = 0
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!
      if (op > 0) {
        adds++
        if (!set.add(op)) addsOfListed++
      } else {
        deletes++
        if (!set.delete(-op)) deletesOfUnlisted++
      }
    }
    for (const a of scope) areas.set(a, 0)
    for (const a of set.areaList()) areas.set(a, set.count(a))
    return {
      set,
      coverage: { full: whole, areas },
      added: adds - addsOfListed,
      removed: deletes - deletesOfUnlisted,
      changes: { adds, deletes, addsOfListed, deletesOfUnlisted },
      basedOn: [...basedOn],
    }
  }
}

interface Built {
  readonly set: AreaBitmaps
  readonly coverage: Coverage
  readonly added: number
  readonly removed: number
  readonly changes: RegistryImportResult['changes']
  readonly basedOn: readonly string[]
}

/** Numbers of `set` in `area` that the block lacks (added) and numbers of the block `set` lacks (removed). */
function diffArea(set: AreaBitmaps, area: number, block: Uint8Array): { added: number; removed: number } {
  let added = set.count(area)
  let removed = 0
  forEachPage(block, (p, old) => {
    const cur = set.page(area, p)
    for (let j = 0; j < BITMAP_BYTES; j++) {
      const o = old[j]!
      const c = cur === undefined ? 0 : cur[j]!
      added -= POPCOUNT[o & c]!
      removed += POPCOUNT[o & ~c & 255]!
    }
  })
  return { added, removed }
}

/** Days between two instants' UTC dates. */
export function ageInDays(asOf: number, now: number): number {
  return Math.floor(now / DAY) - Math.floor(asOf / DAY)
}
