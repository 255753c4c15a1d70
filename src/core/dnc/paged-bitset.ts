/** Numbers per page: a page covers one prefix, i.e. the number without its last 4 digits. */
export const PAGE_NUMBERS = 10_000

/** Bytes per page: 10,000 bits. */
export const PAGE_BYTES = 1_250

/** Pages per slab: page storage is allocated 320 KB at a time, never copied to grow. */
const SLAB_SHIFT = 8
const SLAB_PAGES = 1 << SLAB_SHIFT
const SLAB_MASK = SLAB_PAGES - 1

/** Numbers below this take the indexed fast path (NANP 10 digits, UK 9–10 digits). */
const FAST_LIMIT = 10_000_000_000

/** Largest prefix: the page of `Number.MAX_SAFE_INTEGER`. */
const MAX_PREFIX = Math.floor(Number.MAX_SAFE_INTEGER / PAGE_NUMBERS)

/** Bits set in each byte value. */
const POPCOUNT = new Uint8Array(256)
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1]!

/**
 * A set of telephone numbers (national significant numbers as non-negative integers, e.g.
 * `3052000002`) stored as lazily allocated pages of 10,000 bits, one page per prefix (the
 * number without its last 4 digits; NANP: NPA-NXX).
 *
 * Layout, chosen by `bench/paged-bitset.bench.ts`: numbers below 10^10 (every NANP and UK
 * national number) find their page through two typed-array indexes — the prefix's first three
 * digits (NPA) → a block of 1,000 slots, NXX → page slot — and the page bytes live in slabs of
 * 256 pages. `has` allocates nothing and touches no `Map`. Memory is 2 KB + 4 KB per active
 * NPA of index plus 1,250 bytes per page. Larger numbers fall back to a `Map` from prefix to
 * page slot.
 */
export class PagedBitset {
  /** NPA (prefix / 1000) → block number in `mid`, or -1. */
  private readonly top = new Int16Array(1000).fill(-1)
  /** Block × 1000 + NXX → page slot, or -1. Grows by one block per active NPA. */
  private mid = new Int32Array(0)
  private blocks = 0
  /** Prefixes ≥ 1,000,000 (numbers ≥ 10^10) → page slot. */
  private readonly wide = new Map<number, number>()
  private readonly slabs: Uint8Array[] = []
  /** Set bits per page slot. */
  private counts = new Uint16Array(SLAB_PAGES)
  private slots = 0
  private count = 0

  /** Number of distinct numbers in the set. */
  get size(): number {
    return this.count
  }

  /** Number of allocated pages (including pages emptied by `delete` or `setPage`). */
  get pageCount(): number {
    return this.slots
  }

  /**
   * Adds `n` (a non-negative safe integer). Returns `true` when it was not in the set yet.
   * @throws RangeError when `n` is not a non-negative safe integer.
   */
  add(n: number): boolean {
    let slot: number
    let o: number
    if (n >= 0 && n < FAST_LIMIT && Number.isInteger(n)) {
      const npa = Math.floor(n / 10_000_000)
      const block = this.top[npa]!
      const rest = n - npa * 10_000_000
      const nxx = Math.floor(rest / PAGE_NUMBERS)
      o = rest - nxx * PAGE_NUMBERS
      slot = block < 0 ? -1 : this.mid[block * 1000 + nxx]!
      if (slot < 0) slot = this.allocate(npa * 1000 + nxx)
    } else {
      if (!(Number.isSafeInteger(n) && n >= 0)) throw new RangeError('PagedBitset: not a non-negative safe integer')
      const p = Math.floor(n / PAGE_NUMBERS)
      o = n - p * PAGE_NUMBERS
      slot = this.wide.get(p) ?? this.allocate(p)
    }
    const slab = this.slabs[slot >>> SLAB_SHIFT]!
    const i = (slot & SLAB_MASK) * PAGE_BYTES + (o >> 3)
    const bit = 1 << (o & 7)
    const byte = slab[i]!
    if ((byte & bit) !== 0) return false
    slab[i] = byte | bit
    this.counts[slot]!++
    this.count++
    return true
  }

  /** Whether `n` is in the set. Hot path: no allocation; `false` for anything not a non-negative integer. */
  has(n: number): boolean {
    if (n >= 0 && n < FAST_LIMIT) {
      const npa = Math.floor(n / 10_000_000)
      const block = this.top[npa]!
      if (block < 0) return false
      const rest = n - npa * 10_000_000
      const nxx = Math.floor(rest / PAGE_NUMBERS)
      const o = rest - nxx * PAGE_NUMBERS
      const slot = this.mid[block * 1000 + nxx]!
      if (slot < 0 || !Number.isInteger(o)) return false
      return (this.slabs[slot >>> SLAB_SHIFT]![(slot & SLAB_MASK) * PAGE_BYTES + (o >> 3)]! & (1 << (o & 7))) !== 0
    }
    if (!Number.isSafeInteger(n) || n < 0) return false
    const p = Math.floor(n / PAGE_NUMBERS)
    const slot = this.wide.get(p)
    if (slot === undefined) return false
    const o = n - p * PAGE_NUMBERS
    return (this.slabs[slot >>> SLAB_SHIFT]![(slot & SLAB_MASK) * PAGE_BYTES + (o >> 3)]! & (1 << (o & 7))) !== 0
  }

  /** Removes `n` (for change lists). Returns `true` when it was in the set. The page stays allocated. */
  delete(n: number): boolean {
    if (!Number.isSafeInteger(n) || n < 0) return false
    const p = Math.floor(n / PAGE_NUMBERS)
    const slot = this.slotOf(p)
    if (slot < 0) return false
    const o = n - p * PAGE_NUMBERS
    const slab = this.slabs[slot >>> SLAB_SHIFT]!
    const i = (slot & SLAB_MASK) * PAGE_BYTES + (o >> 3)
    const bit = 1 << (o & 7)
    const byte = slab[i]!
    if ((byte & bit) === 0) return false
    slab[i] = byte & ~bit
    this.counts[slot]!--
    this.count--
    return true
  }

  /** Prefixes of the pages that hold at least one number, ascending. */
  prefixes(): number[] {
    const out: number[] = []
    const { top, mid, counts } = this
    for (let npa = 0; npa < 1000; npa++) {
      const block = top[npa]!
      if (block < 0) continue
      const base = block * 1000
      for (let nxx = 0; nxx < 1000; nxx++) {
        const slot = mid[base + nxx]!
        if (slot >= 0 && counts[slot]! > 0) out.push(npa * 1000 + nxx)
      }
    }
    const wide: number[] = []
    for (const [p, slot] of this.wide) if (counts[slot]! > 0) wide.push(p)
    wide.sort((a, b) => a - b)
    for (const p of wide) out.push(p)
    return out
  }

  /**
   * The page for `prefix` as a live 1,250-byte view (bit `k` of byte `j` is number
   * `prefix * 10000 + j * 8 + k`), or `undefined` when the page holds no number.
   * Do not write through it: use `add`, `delete` or `setPage`, which keep `size` right.
   */
  page(prefix: number): Uint8Array | undefined {
    if (!Number.isSafeInteger(prefix) || prefix < 0) return undefined
    const slot = this.slotOf(prefix)
    if (slot < 0 || this.counts[slot] === 0) return undefined
    const off = (slot & SLAB_MASK) * PAGE_BYTES
    return this.slabs[slot >>> SLAB_SHIFT]!.subarray(off, off + PAGE_BYTES)
  }

  /**
   * Replaces the page for `prefix` with a copy of `bytes` (loading from storage); `size` follows.
   * An all-zero page for an absent prefix allocates nothing.
   * @throws RangeError when `prefix` is not an integer in 0…⌊(2^53 − 1) / 10^4⌋ or `bytes` is not 1,250 long.
   */
  setPage(prefix: number, bytes: Uint8Array): void {
    if (!Number.isSafeInteger(prefix) || prefix < 0 || prefix > MAX_PREFIX) {
      throw new RangeError('PagedBitset.setPage: prefix out of range')
    }
    if (bytes.length !== PAGE_BYTES) throw new RangeError(`PagedBitset.setPage: a page is ${PAGE_BYTES} bytes, got ${bytes.length}`)
    let bits = 0
    for (let j = 0; j < PAGE_BYTES; j++) bits += POPCOUNT[bytes[j]!]!
    let slot = this.slotOf(prefix)
    if (slot < 0) {
      if (bits === 0) return
      slot = this.allocate(prefix)
    }
    this.slabs[slot >>> SLAB_SHIFT]!.set(bytes, (slot & SLAB_MASK) * PAGE_BYTES)
    this.count += bits - this.counts[slot]!
    this.counts[slot] = bits
  }

  /** A set holding the given pages (copied); a later page for the same prefix replaces an earlier one. */
  static fromPages(pages: Iterable<{ readonly prefix: number; readonly bytes: Uint8Array }>): PagedBitset {
    const set = new PagedBitset()
    for (const { prefix, bytes } of pages) set.setPage(prefix, bytes)
    return set
  }

  /** Page slot of `prefix`, or -1. */
  private slotOf(prefix: number): number {
    if (prefix < 1_000_000) {
      const npa = Math.floor(prefix / 1000)
      const block = this.top[npa]!
      return block < 0 ? -1 : this.mid[block * 1000 + (prefix - npa * 1000)]!
    }
    return this.wide.get(prefix) ?? -1
  }

  /** Allocates an empty page for `prefix` (which has none yet) and returns its slot. */
  private allocate(prefix: number): number {
    const slot = this.slots++
    if ((slot & SLAB_MASK) === 0) this.slabs.push(new Uint8Array(SLAB_PAGES * PAGE_BYTES))
    if (slot >= this.counts.length) {
      const grown = new Uint16Array(this.counts.length * 2)
      grown.set(this.counts)
      this.counts = grown
    }
    if (prefix < 1_000_000) {
      const npa = Math.floor(prefix / 1000)
      let block = this.top[npa]!
      if (block < 0) {
        block = this.blocks++
        if (this.blocks * 1000 > this.mid.length) {
          const grown = new Int32Array(Math.min(1000, this.blocks * 2) * 1000).fill(-1)
          grown.set(this.mid)
          this.mid = grown
        }
        this.top[npa] = block
      }
      this.mid[block * 1000 + (prefix - npa * 1000)] = slot
    } else {
      this.wide.set(prefix, slot)
    }
    return slot
  }
}
