import { AREA_NUMBERS, AREA_PAGES, BITMAP_BYTES, PAGE_NUMBERS, POPCOUNT, encodeAreaBlock, encodeSortedOffsets, forEachPage } from './area-block.js'

/**
 * What a registry file's numbers are added to (`add` is `false` for a number already there). A
 * sink may also take numbers in bulk without saying whether each was there (`push`): the set
 * then adds them when it is first read, and its owner counts duplicates as numbers pushed minus
 * distinct numbers held.
 */
export interface NumberSink {
  add(n: number): boolean
  push?(n: number): void
}

/** Areas of national numbers below 10^10. */
const AREAS = 1_000
/** Bytes of one area's bitmap (10^7 bits). */
const AREA_BYTES = AREA_NUMBERS / 8
/** First capacity of an area's list of pushed numbers. */
const FIRST_LIST = 1 << 12
/**
 * Pushed numbers of one area at which they are folded into the area before more are taken (1 MB
 * of offsets): memory follows the distinct numbers, not the lines (a file of repeats stays small).
 */
const FOLD_AT = 1 << 18
/** Distinct numbers above which an area is held as its bitmap (1.25 MB), smaller than their list. */
const LIST_MAX = AREA_BYTES / 4
/** Radix of the sort of an area's pushed numbers (two passes of 12 bits cover offsets below 2^24 > 10^7). */
const RADIX_BITS = 12
const RADIX = 1 << RADIX_BITS

/**
 * The import's working set, per area (national number ÷ 10^7) in one of two forms:
 *
 * - a list: numbers taken by `push` are appended to the area's list of offsets (4 bytes each,
 *   no random memory access); when the set is first read (or every 2^18 pushes to one area) they
 *   are sorted (a two-pass radix sort in the cache), duplicates dropped, merged into the area's
 *   sorted list, and the page counts taken; `encode` then writes the stored block straight from
 *   the sorted offsets. An area of more than 312,500 distinct numbers, whose list would be larger
 *   than its bitmap, is turned into its bitmap; memory is at most about 1.25 MB an area plus the
 *   numbers pushed since its last fold.
 * - a bitmap of 10^7 bits (1.25 MB) with a count per page: what `add`, `delete`, `has`, `page`
 *   and `load` work on (change lists, CRTC XML, comparing with a version in force). An area in
 *   list form turns into a bitmap the first time one of them needs it.
 *
 * Numbers must be integers in 0…10^10 − 1.
 */
export class AreaBitmaps implements NumberSink {
  readonly #bits: Array<Uint8Array | undefined> = new Array<Uint8Array | undefined>(AREAS).fill(undefined)
  readonly #counts: Array<Uint16Array | undefined> = new Array<Uint16Array | undefined>(AREAS).fill(undefined)
  /** Offsets pushed and not yet sorted, per area, and how many. */
  readonly #pushed: Array<Int32Array | undefined> = new Array<Int32Array | undefined>(AREAS).fill(undefined)
  readonly #pushedLength = new Int32Array(AREAS)
  /** Sorted distinct offsets of an area in list form (with its page counts in `#counts`). */
  readonly #sorted: Array<Int32Array | undefined> = new Array<Int32Array | undefined>(AREAS).fill(undefined)
  /** Distinct numbers held, numbers pushed and not yet sorted excepted. */
  #size = 0
  #scratch = new Int32Array(0)

  /** Distinct numbers held. */
  get size(): number {
    this.#sortAll()
    return this.#size
  }

  /** Adds `n`; `true` when it was not held yet. @throws RangeError outside 0…10^10 − 1. */
  add(n: number): boolean {
    if (!(n >= 0 && n < 10_000_000_000) || Math.floor(n) !== n) throw new RangeError('AreaBitmaps: not a national number below 10^10')
    const a = (n / AREA_NUMBERS) | 0
    const bits = this.#bitmap(a)
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

  /** Takes a valid national number below 10^10 (checked by the caller), added when the set is next read. */
  push(n: number): void {
    const a = (n / AREA_NUMBERS) | 0
    let list = this.#pushed[a]
    let at = this.#pushedLength[a]!
    if (list === undefined) {
      list = this.#pushed[a] = new Int32Array(FIRST_LIST)
    } else if (at === list.length) {
      if (at >= FOLD_AT) {
        // fold them into the area, then take more into a new small list
        this.#sortArea(a)
        list = this.#pushed[a] = new Int32Array(FIRST_LIST)
        at = 0
      } else {
        const grown = new Int32Array(list.length * 2)
        grown.set(list)
        list = this.#pushed[a] = grown
      }
    }
    list[at] = n - a * AREA_NUMBERS
    this.#pushedLength[a] = at + 1
  }

  /** Sorts the pushed numbers of every area. */
  #sortAll(): void {
    for (let a = 0; a < AREAS; a++) if (this.#pushed[a] !== undefined) this.#sortArea(a)
  }

  /**
   * Folds an area's pushed numbers into it: radix-sorted, duplicates dropped, merged with what
   * the area held already (a list, or the bits of a bitmap).
   */
  #sortArea(a: number): void {
    const pushed = this.#pushed[a]
    if (pushed === undefined) return
    const n = this.#pushedLength[a]!
    this.#pushed[a] = undefined
    this.#pushedLength[a] = 0
    if (this.#scratch.length < n) this.#scratch = new Int32Array(Math.max(n, this.#scratch.length * 2))
    const tmp = this.#scratch
    const counts = new Int32Array(RADIX)
    // least significant 12 bits into tmp, then the rest back into pushed
    for (let k = 0; k < n; k++) counts[pushed[k]! & (RADIX - 1)]!++
    countsToStarts(counts)
    for (let k = 0; k < n; k++) {
      const r = pushed[k]!
      tmp[counts[r & (RADIX - 1)]!++] = r
    }
    counts.fill(0)
    for (let k = 0; k < n; k++) counts[tmp[k]! >>> RADIX_BITS]!++
    countsToStarts(counts)
    for (let k = 0; k < n; k++) {
      const r = tmp[k]!
      pushed[counts[r >>> RADIX_BITS]!++] = r
    }
    const bits = this.#bits[a]
    if (bits !== undefined) {
      // the area is a bitmap: set the sorted offsets, in address order
      const pageCounts = this.#counts[a]!
      for (let k = 0; k < n; k++) {
        const r = pushed[k]!
        const i = r >> 3
        const bit = 1 << (r & 7)
        const b = bits[i]!
        if ((b & bit) !== 0) continue
        bits[i] = b | bit
        pageCounts[(r / PAGE_NUMBERS) | 0]!++
        this.#size++
      }
      return
    }
    // merge with the area's sorted list (if any), dropping duplicates
    const held = this.#sorted[a]
    const m = held === undefined ? 0 : held.length
    const out = new Int32Array(n + m)
    const pageCounts = new Uint16Array(AREA_PAGES)
    let o = 0
    let i = 0
    let last = -1
    for (let k = 0; k < n || i < m; ) {
      let r: number
      if (i < m && (k >= n || held![i]! <= pushed[k]!)) r = held![i++]!
      else r = pushed[k++]!
      if (r === last) continue
      last = r
      out[o++] = r
      pageCounts[(r / PAGE_NUMBERS) | 0]!++
    }
    this.#sorted[a] = o === out.length ? out : out.slice(0, o)
    this.#counts[a] = pageCounts
    this.#size += o - m
    if (o > LIST_MAX) this.#bitmap(a)
  }

  /** The area's bitmap, made (from its sorted list, if it is in list form) when it has none. */
  #bitmap(a: number): Uint8Array {
    this.#sortArea(a)
    let bits = this.#bits[a]
    if (bits !== undefined) return bits
    bits = this.#bits[a] = new Uint8Array(AREA_BYTES)
    const sorted = this.#sorted[a]
    if (sorted === undefined) {
      this.#counts[a] = new Uint16Array(AREA_PAGES)
      return bits
    }
    for (let k = 0; k < sorted.length; k++) {
      const r = sorted[k]!
      bits[r >> 3]! |= 1 << (r & 7)
    }
    this.#sorted[a] = undefined
    return bits
  }

  has(n: number): boolean {
    if (!(n >= 0 && n < 10_000_000_000)) return false
    const a = (n / AREA_NUMBERS) | 0
    const r = n - a * AREA_NUMBERS
    if ((r | 0) !== r) return false
    this.#sortArea(a)
    const bits = this.#bits[a]
    if (bits !== undefined) return (bits[r >> 3]! & (1 << (r & 7))) !== 0
    const sorted = this.#sorted[a]
    if (sorted === undefined) return false
    let lo = 0
    let hi = sorted.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const x = sorted[mid]!
      if (x === r) return true
      if (x < r) lo = mid + 1
      else hi = mid - 1
    }
    return false
  }

  /** Removes `n`; `true` when it was held. */
  delete(n: number): boolean {
    if (!this.has(n)) return false
    const a = (n / AREA_NUMBERS) | 0
    const r = n - a * AREA_NUMBERS
    this.#bitmap(a)[r >> 3]! &= ~(1 << (r & 7))
    this.#counts[a]![(r / PAGE_NUMBERS) | 0]!--
    this.#size--
    return true
  }

  /** Pages (10,000 numbers) holding at least one number. */
  get pageCount(): number {
    this.#sortAll()
    let n = 0
    for (const counts of this.#counts) if (counts !== undefined) for (let p = 0; p < AREA_PAGES; p++) if (counts[p]! > 0) n++
    return n
  }

  /** Areas holding at least one number, ascending. */
  areaList(): number[] {
    const out: number[] = []
    for (let a = 0; a < AREAS; a++) if (this.count(a) > 0) out.push(a)
    return out
  }

  /** Numbers held in one area. */
  count(area: number): number {
    this.#sortArea(area)
    const counts = this.#counts[area]
    if (counts === undefined) return 0
    let n = 0
    for (let p = 0; p < AREA_PAGES; p++) n += counts[p]!
    return n
  }

  /** A page of an area as a live 1,250-byte view, or `undefined` when it holds no number (an area in list form becomes a bitmap). */
  page(area: number, p: number): Uint8Array | undefined {
    this.#sortArea(area)
    const counts = this.#counts[area]
    if (counts === undefined || counts[p] === 0) return undefined
    return this.#bitmap(area).subarray(p * BITMAP_BYTES, (p + 1) * BITMAP_BYTES)
  }

  /** The stored block of an area, or `null` when it holds no number. */
  encode(area: number): { readonly bytes: Uint8Array; readonly numbers: number } | null {
    this.#sortArea(area)
    const counts = this.#counts[area]
    if (counts === undefined) return null
    const sorted = this.#sorted[area]
    if (sorted !== undefined) return encodeSortedOffsets(sorted, counts)
    return encodeAreaBlock((p) => this.page(area, p), counts)
  }

  /** Adds every number of a stored block to its area (loading a version to change it). */
  load(area: number, block: Uint8Array): void {
    forEachPage(block, (p, bitmap) => {
      const bits = this.#bitmap(area)
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

/** Turns a counting sort's counts per digit into each digit's first index, in place. */
function countsToStarts(counts: Int32Array): void {
  for (let d = 0, at = 0; d < counts.length; d++) {
    const c = counts[d]!
    counts[d] = at
    at += c
  }
}
