import { AREA_NUMBERS, AREA_PAGES, ARRAY_MAX, BLOCK_HEADER_BYTES, BUCKET_MAX, BUCKETS, BUCKET_STARTS, PAGE_NUMBERS, checkAreaBlock, containerBytes } from './area-block.js'

/** One area's block (see area-block.ts) and its area number (national number ÷ 10^7). */
export interface AreaBlock {
  readonly area: number
  readonly bytes: Uint8Array
}

/** What a {@link PackedRegistry} is made of, ready to hand to another thread (the pool may be a `SharedArrayBuffer`). */
export interface PackedRegistryData {
  /** Every block, each at an 8-byte aligned offset. */
  readonly pool: Uint8Array
  /** Area (0–999) → byte offset of its block in `pool`, or -1. */
  readonly areas: Int32Array
}

/** Numbers a run of {@link PackedRegistry.hasMany} (its lines, two a number, stay in the cache). */
const RUN = 1_024

/** Areas in the flat directory (every national number below 10^10). */
const AREAS = 1_000
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

/**
 * A read-only set of national numbers (below 10^10) held as the stored area blocks themselves:
 * memory is the blocks (at most 2 bytes a number) plus a directory of 6 bytes per page slot of
 * each area present. `has` allocates nothing: a division, three typed-array loads, then a bit
 * test, a scan of a few bytes, or a binary search over at most 82 offsets. The blocks can live in
 * a `SharedArrayBuffer` so worker threads share one copy ({@link data}, {@link PackedRegistry.from}).
 */
export class PackedRegistry {
  readonly #pool: Uint8Array
  readonly #u16: Uint16Array
  readonly #areas: Int32Array
  /** Area → slot, or -1. */
  readonly #slot: Int16Array
  /** Slot × 1,000 + page → byte offset of the page's container, or -1. */
  readonly #off: Int32Array
  /** Slot × 1,000 + page → numbers on the page. */
  readonly #cnt: Uint16Array
  readonly #size: number
  /** One run of {@link hasMany}: each number's container kind, position and low bits, and the two byte offsets its answer reads. */
  readonly #kind = new Uint8Array(RUN)
  readonly #pos = new Int32Array(RUN)
  readonly #low = new Int32Array(RUN)
  readonly #line1 = new Int32Array(RUN)
  readonly #line2 = new Int32Array(RUN)
  /** What the loads ahead of the answers read (kept, so they are not optimized away). */
  #touched = 0

  private constructor(data: PackedRegistryData) {
    if (!LITTLE_ENDIAN) throw new RangeError('PackedRegistry needs a little-endian platform')
    this.#pool = data.pool
    this.#u16 = new Uint16Array(data.pool.buffer, data.pool.byteOffset, data.pool.byteLength >> 1)
    this.#areas = data.areas
    this.#slot = new Int16Array(AREAS).fill(-1)
    let slots = 0
    for (let a = 0; a < AREAS; a++) if (data.areas[a]! >= 0) this.#slot[a] = slots++
    this.#off = new Int32Array(slots * AREA_PAGES).fill(-1)
    this.#cnt = new Uint16Array(slots * AREA_PAGES)
    let size = 0
    for (let a = 0; a < AREAS; a++) {
      const at = data.areas[a]!
      if (at < 0) continue
      const s = this.#slot[a]!
      let off = at + BLOCK_HEADER_BYTES
      for (let p = 0; p < AREA_PAGES; p++) {
        const n = this.#u16[(at >> 1) + 4 + p]!
        if (n === 0) continue
        this.#off[s * AREA_PAGES + p] = off
        this.#cnt[s * AREA_PAGES + p] = n
        size += n
        off += containerBytes(n)
      }
    }
    this.#size = size
  }

  /** The set of the given blocks (checked, then copied into one pool; `shared` puts it in a `SharedArrayBuffer`). */
  static build(blocks: Iterable<AreaBlock>, shared = false): PackedRegistry {
    const list = [...blocks]
    let total = 0
    for (const b of list) {
      if (!Number.isInteger(b.area) || b.area < 0 || b.area >= AREAS) throw new RangeError('PackedRegistry: area out of range')
      checkAreaBlock(b.bytes)
      total += (b.bytes.length + 7) & ~7
    }
    const buffer = shared ? new SharedArrayBuffer(total) : new ArrayBuffer(total)
    const pool = new Uint8Array(buffer)
    const areas = new Int32Array(AREAS).fill(-1)
    let at = 0
    for (const b of list) {
      if (areas[b.area]! >= 0) throw new RangeError(`PackedRegistry: area ${b.area} given twice`)
      pool.set(b.bytes, at)
      areas[b.area] = at
      at += (b.bytes.length + 7) & ~7
    }
    return new PackedRegistry({ pool, areas })
  }

  /** The empty set. */
  static empty(): PackedRegistry {
    return new PackedRegistry({ pool: new Uint8Array(0), areas: new Int32Array(AREAS).fill(-1) })
  }

  /** A set over data made by another thread's {@link data} (no copy). */
  static from(data: PackedRegistryData): PackedRegistry {
    return new PackedRegistry(data)
  }

  /** The pool and area table, to rebuild this set elsewhere with {@link PackedRegistry.from}. */
  get data(): PackedRegistryData {
    return { pool: this.#pool, areas: this.#areas }
  }

  /** Numbers in the set. */
  get size(): number {
    return this.#size
  }

  /** Bytes held: the blocks and the page directory. */
  get bytes(): number {
    return this.#pool.byteLength + this.#off.byteLength + this.#cnt.byteLength + this.#slot.byteLength + this.#areas.byteLength
  }

  /** Areas present, ascending. */
  areaList(): number[] {
    const out: number[] = []
    for (let a = 0; a < AREAS; a++) if (this.#areas[a]! >= 0) out.push(a)
    return out
  }

  /**
   * Membership of many numbers at once: `hits[k]` becomes 1 when `values[k]` is in the set, else 0
   * (negative values: 0). Same answers as {@link has}, fastest on numbers in block order
   * (lookup-order.ts). Runs of {@link RUN} numbers go through three passes, so the cache misses of
   * a run overlap instead of waiting one after another: each number's container and the lines it
   * will read (the small page directory); a load of those lines with no branch and no dependence
   * between numbers (the memory system fetches many at once); then the answers, from the cache.
   */
  hasMany(values: Float64Array, n: number, hits: Uint8Array): void {
    // (the loads ahead read byte 0 for a number with no container: the pool must have one)
    if (this.#pool.length === 0) {
      hits.fill(0, 0, n)
      return
    }
    for (let from = 0; from < n; from += RUN) this.#hasRun(values, from, Math.min(n, from + RUN), hits)
  }

  #hasRun(values: Float64Array, from: number, to: number, hits: Uint8Array): void {
    const kind = this.#kind
    const pos = this.#pos
    const low = this.#low
    const line1 = this.#line1
    const line2 = this.#line2
    const slotOf = this.#slot
    const offs = this.#off
    const cnts = this.#cnt
    for (let k = 0, at = from; at < to; k++, at++) {
      const v = values[at]!
      kind[k] = 0
      line1[k] = 0
      line2[k] = 0
      if (!(v >= 0 && v < 10_000_000_000)) continue
      const a = (v / AREA_NUMBERS) | 0
      const s = slotOf[a]!
      if (s < 0) continue
      const r = v - a * AREA_NUMBERS
      const p = (r / PAGE_NUMBERS) | 0
      const o = r - p * PAGE_NUMBERS
      if ((o | 0) !== o) continue
      const i = s * AREA_PAGES + p
      const off = offs[i]!
      if (off < 0) continue
      const c = cnts[i]!
      if (c > BUCKET_MAX) {
        kind[k] = 1
        pos[k] = off + (o >> 3)
        low[k] = 1 << (o & 7)
        line1[k] = off + (o >> 3)
        line2[k] = off + (o >> 3)
      } else if (c > ARRAY_MAX) {
        // the bucket's start index; the container's offset follows from it and `o` (packing the
        // offset into `low` beside the low byte overflowed 32 bits past 16 MiB of blocks)
        kind[k] = 2
        pos[k] = (off >> 1) + (o >> 8)
        low[k] = o
        // the bucket's start, and about where its low bytes are (buckets hold about c / 40 each)
        line1[k] = off + 2 * (o >> 8)
        line2[k] = off + 2 * BUCKET_STARTS + ((((o >> 8) * c) / BUCKETS) | 0)
      } else {
        kind[k] = 3
        pos[k] = off >> 1
        low[k] = o | (c << 14)
        // the binary search's first probe
        line1[k] = off + 2 * ((c - 1) >> 1)
        line2[k] = off
      }
    }
    const pool = this.#pool
    let touched = 0
    for (let k = 0, m = to - from; k < m; k++) touched ^= pool[line1[k]!]! ^ pool[line2[k]!]!
    this.#touched ^= touched
    const u16 = this.#u16
    for (let k = 0, at = from; at < to; k++, at++) {
      const t = kind[k]!
      if (t === 0) {
        hits[at] = 0
      } else if (t === 1) {
        hits[at] = (pool[pos[k]!]! & low[k]!) !== 0 ? 1 : 0
      } else if (t === 2) {
        const h = pos[k]!
        const o = low[k]!
        const lo = o & 255
        const base = (h - (o >> 8)) * 2 + 2 * BUCKET_STARTS
        const end = u16[h + 1]!
        let hit = 0
        for (let j = u16[h]!; j < end; j++) {
          const x = pool[base + j]!
          if (x >= lo) {
            hit = x === lo ? 1 : 0
            break
          }
        }
        hits[at] = hit
      } else {
        const o = low[k]! & 0x3fff
        let lo = pos[k]!
        let hi = lo + (low[k]! >>> 14) - 1
        let hit = 0
        while (lo <= hi) {
          const mid = (lo + hi) >> 1
          const x = u16[mid]!
          if (x === o) {
            hit = 1
            break
          }
          if (x < o) lo = mid + 1
          else hi = mid - 1
        }
        hits[at] = hit
      }
    }
  }

  /** Whether `n` is in the set; `false` for anything that is not an integer in 0…10^10 − 1. */
  has(n: number): boolean {
    if (!(n >= 0 && n < 10_000_000_000)) return false
    const a = (n / AREA_NUMBERS) | 0
    const s = this.#slot[a]!
    if (s < 0) return false
    const r = n - a * AREA_NUMBERS
    const p = (r / PAGE_NUMBERS) | 0
    const o = r - p * PAGE_NUMBERS
    if ((o | 0) !== o) return false
    const i = s * AREA_PAGES + p
    const off = this.#off[i]!
    if (off < 0) return false
    const c = this.#cnt[i]!
    const pool = this.#pool
    if (c > BUCKET_MAX) return (pool[off + (o >> 3)]! & (1 << (o & 7))) !== 0
    const u16 = this.#u16
    if (c > ARRAY_MAX) {
      const h = (off >> 1) + (o >> 8)
      const end = u16[h + 1]!
      const lo = o & 255
      const base = off + 2 * BUCKET_STARTS
      for (let k = u16[h]!; k < end; k++) {
        const x = pool[base + k]!
        if (x >= lo) return x === lo
      }
      return false
    }
    let lo = off >> 1
    let hi = lo + c - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const x = u16[mid]!
      if (x === o) return true
      if (x < o) lo = mid + 1
      else hi = mid - 1
    }
    return false
  }
}
