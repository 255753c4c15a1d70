import { AREA_NUMBERS, AREA_PAGES, BITMAP_BYTES, PAGE_NUMBERS, POPCOUNT, encodeAreaBlock, forEachPage } from './area-block.js'

/**
 * What a registry file's numbers are added to (`add` is `false` for a number already there). A
 * sink may also take numbers in bulk: `push` queues one, `settle` adds every queued number and
 * returns how many were already there (the parser then counts duplicates per chunk).
 */
export interface NumberSink {
  add(n: number): boolean
  push?(n: number): void
  settle?(): number
}

/** Numbers queued by `push` before they are added area by area. */
const QUEUE = 1 << 18

/** Areas of national numbers below 10^10. */
const AREAS = 1_000
/** Bytes of one area's bitmap (10^7 bits). */
const AREA_BYTES = AREA_NUMBERS / 8

/**
 * The import's working set: one flat bitmap of 10^7 bits (1.25 MB) per area touched, allocated on
 * first use, with a count per page. `add` is one division and one byte of the area's bitmap (one
 * cache miss), which makes the import run at memory speed; `encode` turns an area into its stored
 * block without counting bits again. Numbers must be integers in 0…10^10 − 1.
 */
export class AreaBitmaps implements NumberSink {
  readonly #bits: Array<Uint8Array | undefined> = new Array<Uint8Array | undefined>(AREAS).fill(undefined)
  readonly #counts: Array<Uint16Array | undefined> = new Array<Uint16Array | undefined>(AREAS).fill(undefined)
  #size = 0
  #queue = new Float64Array(QUEUE)
  #sorted = new Float64Array(QUEUE)
  #queued = 0
  #settledDuplicates = 0

  /** Distinct numbers held (queued numbers included). */
  get size(): number {
    if (this.#queued > 0) this.#settledDuplicates += this.#drain()
    return this.#size
  }

  /** Adds `n`; `true` when it was not held yet. @throws RangeError outside 0…10^10 − 1. */
  add(n: number): boolean {
    if (!(n >= 0 && n < 10_000_000_000) || Math.floor(n) !== n) throw new RangeError('AreaBitmaps: not a national number below 10^10')
    if (this.#queued > 0) this.#settledDuplicates += this.#drain()
    const a = (n / AREA_NUMBERS) | 0
    let bits = this.#bits[a]
    if (bits === undefined) {
      bits = this.#bits[a] = new Uint8Array(AREA_BYTES)
      this.#counts[a] = new Uint16Array(AREA_PAGES)
    }
    const r = n - a * AREA_NUMBERS
    const i = r >> 3
    const bit = 1 << (r & 7)
    const b = bits[i]!
    if ((b & bit) !== 0) return false
    bits[i] = b | bit
    this.#counts[a]![(r / PAGE_NUMBERS) | 0]!++
    this.#size++
    return true
  }

  /**
   * Queues a valid national number below 10^10 (checked by the caller); queued numbers are added
   * area by area, so each area's 1.25 MB bitmap is written while it sits in the cache.
   */
  push(n: number): void {
    if (this.#queued === QUEUE) this.#settledDuplicates += this.#drain()
    this.#queue[this.#queued++] = n
  }

  /** Adds every queued number; returns how many of those settled since the last call were already there. */
  settle(): number {
    const d = this.#settledDuplicates + this.#drain()
    this.#settledDuplicates = 0
    return d
  }

  /** Sorts the queue by area (a counting sort), then sets the bits area by area. */
  #drain(): number {
    const n = this.#queued
    if (n === 0) return 0
    this.#queued = 0
    const queue = this.#queue
    const sorted = this.#sorted
    const starts = new Int32Array(AREAS + 1)
    for (let k = 0; k < n; k++) starts[((queue[k]! / AREA_NUMBERS) | 0) + 1]!++
    for (let a = 0; a < AREAS; a++) starts[a + 1]! += starts[a]!
    const at = starts.slice(0, AREAS)
    for (let k = 0; k < n; k++) {
      const v = queue[k]!
      sorted[at[(v / AREA_NUMBERS) | 0]!++] = v
    }
    let duplicates = 0
    for (let a = 0; a < AREAS; a++) {
      const from = starts[a]!
      const to = starts[a + 1]!
      if (from === to) continue
      let bits = this.#bits[a]
      if (bits === undefined) {
        bits = this.#bits[a] = new Uint8Array(AREA_BYTES)
        this.#counts[a] = new Uint16Array(AREA_PAGES)
      }
      const counts = this.#counts[a]!
      const base = a * AREA_NUMBERS
      for (let k = from; k < to; k++) {
        const r = sorted[k]! - base
        const i = r >> 3
        const bit = 1 << (r & 7)
        const b = bits[i]!
        if ((b & bit) !== 0) {
          duplicates++
          continue
        }
        bits[i] = b | bit
        counts[(r / PAGE_NUMBERS) | 0]!++
      }
    }
    this.#size += n - duplicates
    return duplicates
  }

  has(n: number): boolean {
    if (this.#queued > 0) this.#settledDuplicates += this.#drain()
    if (!(n >= 0 && n < 10_000_000_000)) return false
    const a = (n / AREA_NUMBERS) | 0
    const bits = this.#bits[a]
    if (bits === undefined) return false
    const r = n - a * AREA_NUMBERS
    if ((r | 0) !== r) return false
    return (bits[r >> 3]! & (1 << (r & 7))) !== 0
  }

  /** Removes `n`; `true` when it was held. */
  delete(n: number): boolean {
    if (!this.has(n)) return false
    const a = (n / AREA_NUMBERS) | 0
    const r = n - a * AREA_NUMBERS
    this.#bits[a]![r >> 3]! &= ~(1 << (r & 7))
    this.#counts[a]![(r / PAGE_NUMBERS) | 0]!--
    this.#size--
    return true
  }

  /** Pages (10,000 numbers) holding at least one number. */
  get pageCount(): number {
    if (this.#queued > 0) this.#settledDuplicates += this.#drain()
    let n = 0
    for (const counts of this.#counts) if (counts !== undefined) for (let p = 0; p < AREA_PAGES; p++) if (counts[p]! > 0) n++
    return n
  }

  /** Areas holding at least one number, ascending. */
  areaList(): number[] {
    if (this.#queued > 0) this.#settledDuplicates += this.#drain()
    const out: number[] = []
    for (let a = 0; a < AREAS; a++) if (this.count(a) > 0) out.push(a)
    return out
  }

  /** Numbers held in one area. */
  count(area: number): number {
    if (this.#queued > 0) this.#settledDuplicates += this.#drain()
    const counts = this.#counts[area]
    if (counts === undefined) return 0
    let n = 0
    for (let p = 0; p < AREA_PAGES; p++) n += counts[p]!
    return n
  }

  /** A page of an area as a live 1,250-byte view, or `undefined` when it holds no number. */
  page(area: number, p: number): Uint8Array | undefined {
    if (this.#queued > 0) this.#settledDuplicates += this.#drain()
    const counts = this.#counts[area]
    if (counts === undefined || counts[p] === 0) return undefined
    return this.#bits[area]!.subarray(p * BITMAP_BYTES, (p + 1) * BITMAP_BYTES)
  }

  /** The stored block of an area, or `null` when it holds no number. */
  encode(area: number): { readonly bytes: Uint8Array; readonly numbers: number } | null {
    const counts = this.#counts[area]
    if (counts === undefined) return null
    return encodeAreaBlock((p) => this.page(area, p), counts)
  }

  /** Adds every number of a stored block to its area (loading a version to change it). */
  load(area: number, block: Uint8Array): void {
    if (this.#queued > 0) this.#settledDuplicates += this.#drain()
    forEachPage(block, (p, bitmap) => {
      let bits = this.#bits[area]
      if (bits === undefined) {
        bits = this.#bits[area] = new Uint8Array(AREA_BYTES)
        this.#counts[area] = new Uint16Array(AREA_PAGES)
      }
      const counts = this.#counts[area]!
      const off = p * BITMAP_BYTES
      let n = 0
      for (let j = 0; j < BITMAP_BYTES; j++) {
        const b = bits[off + j]! | bitmap[j]!
        bits[off + j] = b
        n += POPCOUNT[b]!
      }
      this.#size += n - counts[p]!
      counts[p] = n
    })
  }
}
