import { PackedRegistry, type AreaBlock, type PackedRegistryData } from '../../core/dnc/packed-registry.js'
import type { Executor } from '../../store/schema.js'
import { versionInForce, type RegistriesRepo, type RegistryVersion } from '../../store/repos/registries.js'

/** Each registry's numbers in force at one instant, ready for another thread. */
export type RegistrySnapshotData = ReadonlyArray<readonly [registry: string, data: PackedRegistryData]>

/**
 * Every registry as in force at one instant: per registry, each area code's block taken from the
 * version in force for that area code, joined into one {@link PackedRegistry}. Memory is the
 * blocks themselves (at most 2 bytes a number), independent of what is scrubbed against it; with
 * `shared` the blocks live in `SharedArrayBuffer`s so worker threads use this one copy.
 */
export class RegistrySnapshot {
  readonly #sets: ReadonlyMap<string, PackedRegistry>

  private constructor(sets: ReadonlyMap<string, PackedRegistry>) {
    this.#sets = sets
  }

  /** Loads (decrypting) the blocks in force at `at` of every registry that has versions. */
  static async load(repo: RegistriesRepo, ex: Executor, versions: readonly RegistryVersion[], at: number, shared = false): Promise<RegistrySnapshot> {
    const sets = new Map<string, PackedRegistry>()
    for (const registry of new Set(versions.map((v) => v.registry))) {
      const mine = versions.filter((v) => v.registry === registry)
      // which version each area code takes its numbers from
      const byVersion = new Map<RegistryVersion, number[]>()
      const areas = new Set<number>()
      for (const v of mine) for (const [area, n] of v.coverage.areas) if (n > 0) areas.add(area)
      const wholeLegacy = mine.filter((v) => v.layout === 'pages')
      for (const area of areas) {
        const v = versionInForce(mine, registry, area, at)
        if (v !== null && v.layout === 'areas' && (v.coverage.areas.get(area) ?? 0) > 0) byVersion.set(v, [...(byVersion.get(v) ?? []), area])
      }
      const blocks: AreaBlock[] = []
      for (const [v, list] of byVersion) blocks.push(...(await repo.areaBlocks(ex, v, list.sort((a, b) => a - b))))
      // versions stored before coverage existed cover everything: their areas are only known from their pages
      for (const legacy of wholeLegacy) {
        for (const block of await repo.areaBlocks(ex, legacy)) {
          if (versionInForce(mine, registry, block.area, at) === legacy) blocks.push(block)
        }
      }
      sets.set(registry, PackedRegistry.build(blocks, shared))
    }
    return new RegistrySnapshot(sets)
  }

  /** A snapshot over data another thread loaded. */
  static from(data: RegistrySnapshotData): RegistrySnapshot {
    return new RegistrySnapshot(new Map(data.map(([registry, d]) => [registry, PackedRegistry.from(d)])))
  }

  get data(): RegistrySnapshotData {
    return [...this.#sets].map(([registry, set]) => [registry, set.data] as const)
  }

  /** The set of one registry (empty when it has no version). */
  set(registry: string): PackedRegistry {
    return this.#sets.get(registry) ?? PackedRegistry.empty()
  }

  /** Whether a number is listed on the version of `version.registry` in force for its area code (the session resolved `version` the same way). */
  listed(version: RegistryVersion, national: number): boolean {
    return this.#sets.get(version.registry)?.has(national) ?? false
  }

  /** Bytes held by every registry's blocks and directories. */
  get bytes(): number {
    let n = 0
    for (const s of this.#sets.values()) n += s.bytes
    return n
  }

  /** Numbers held, over every registry. */
  get numbers(): number {
    let n = 0
    for (const s of this.#sets.values()) n += s.size
    return n
  }
}
