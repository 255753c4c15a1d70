/**
 * The stored and in-memory form of one area's registry numbers: an "area" is every number with
 * the same national number divided by 10^7 (NANP: the area code; UK: the first digits of the
 * national significant number), i.e. 1,000 pages of 10,000 numbers (NANP: one page per NXX).
 *
 * Each page is held in the smallest of three containers, so no page costs more than 2 bytes a
 * number (and a page at registry density about 1.1):
 *
 * | numbers on the page | container | bytes |
 * |---|---|---|
 * | 1–82 | sorted 16-bit offsets | 2 × n |
 * | 83–1,168 | 40 buckets of 256 offsets: 41 16-bit bucket starts, then the low byte of each offset | 82 + n (+1 pad) |
 * | 1,169–10,000 | bitmap | 1,250 |
 *
 * Layout (little-endian): `"DWA1"`, u32 numbers, u16 count per page (1,000), then the pages'
 * containers in page order, each padded to an even length. A block is canonical: equal sets give
 * equal bytes, so its SHA-256 identifies its content.
 */

/** Numbers per area (10^7). */
export const AREA_NUMBERS = 10_000_000
/** Pages per area. */
export const AREA_PAGES = 1_000
/** Numbers per page. */
export const PAGE_NUMBERS = 10_000
/** Bytes of a bitmap page. */
export const BITMAP_BYTES = 1_250
/** Bytes of a whole area as a bitmap (the import's working form). */
export const AREA_BITMAP_BYTES = AREA_PAGES * BITMAP_BYTES
/** Largest page held as sorted offsets. */
export const ARRAY_MAX = 82
/** Largest page held in buckets. */
export const BUCKET_MAX = 1_168
/** Buckets of a bucket page (of 256 offsets each). */
export const BUCKETS = 40
/** Bucket starts (one a bucket, and the end). */
export const BUCKET_STARTS = BUCKETS + 1
/** Bytes before the first container. */
export const BLOCK_HEADER_BYTES = 8 + AREA_PAGES * 2

const MAGIC = [0x44, 0x57, 0x41, 0x31] // "DWA1"

/** Bits set in each byte value. */
export const POPCOUNT: Uint8Array = (() => {
  const t = new Uint8Array(256)
  for (let i = 1; i < 256; i++) t[i] = (i & 1) + t[i >> 1]!
  return t
})()

/** Bytes of the container of a page with `n` numbers (0 for an empty page), padding included. */
export function containerBytes(n: number): number {
  if (n === 0) return 0
  if (n <= ARRAY_MAX) return 2 * n
  if (n <= BUCKET_MAX) return 2 * BUCKET_STARTS + n + (n & 1)
  return BITMAP_BYTES
}

/** A block of the size its page counts need, with its header written (magic, total, counts); containers follow. */
function blockHeader(counts: Uint16Array, total: number): { bytes: Uint8Array; view: DataView } {
  let size = BLOCK_HEADER_BYTES
  for (let p = 0; p < AREA_PAGES; p++) size += containerBytes(counts[p]!)
  const bytes = new Uint8Array(size)
  const view = new DataView(bytes.buffer)
  bytes.set(MAGIC, 0)
  view.setUint32(4, total, true)
  for (let p = 0; p < AREA_PAGES; p++) view.setUint16(8 + 2 * p, counts[p]!, true)
  return { bytes, view }
}

/**
 * Encodes an area given as a bitmap of 10^7 bits (bit `k` of byte `j` of page `p` is number
 * `area × 10^7 + p × 10^4 + j × 8 + k`). `page(p)` returns the page's 1,250 bytes or `undefined`
 * for an empty page; `known` (optional) holds the number of bits set in each page, so they are
 * not counted again. Returns `null` when the area holds no number.
 */
export function encodeAreaBlock(page: (p: number) => Uint8Array | undefined, known?: Uint16Array): { readonly bytes: Uint8Array; readonly numbers: number } | null {
  const counts = new Uint16Array(AREA_PAGES)
  let total = 0
  for (let p = 0; p < AREA_PAGES; p++) {
    let n = known === undefined ? 0 : known[p]!
    if (known === undefined) {
      const bits = page(p)
      if (bits === undefined) continue
      for (let j = 0; j < BITMAP_BYTES; j++) n += POPCOUNT[bits[j]!]!
    }
    counts[p] = n
    total += n
  }
  if (total === 0) return null
  const { bytes, view } = blockHeader(counts, total)
  let off = BLOCK_HEADER_BYTES
  for (let p = 0; p < AREA_PAGES; p++) {
    const n = counts[p]!
    if (n === 0) continue
    const bits = page(p)!
    if (n > BUCKET_MAX) {
      bytes.set(bits.subarray(0, BITMAP_BYTES), off)
    } else if (n > ARRAY_MAX) {
      // bucket starts, then the low bytes in ascending order
      let k = 0
      let bucket = -1
      const lows = off + 2 * BUCKET_STARTS
      for (let j = 0; j < BITMAP_BYTES; j++) {
        let b = bits[j]!
        while (b !== 0) {
          const bit = 31 - Math.clz32(b & -b)
          b &= b - 1
          const o = j * 8 + bit
          const ob = o >> 8
          while (bucket < ob) view.setUint16(off + 2 * ++bucket, k, true)
          bytes[lows + k++] = o & 255
        }
      }
      while (bucket < BUCKET_STARTS - 1) view.setUint16(off + 2 * ++bucket, k, true)
    } else {
      let k = 0
      for (let j = 0; j < BITMAP_BYTES; j++) {
        let b = bits[j]!
        while (b !== 0) {
          const bit = 31 - Math.clz32(b & -b)
          b &= b - 1
          view.setUint16(off + 2 * k++, j * 8 + bit, true)
        }
      }
    }
    off += containerBytes(n)
  }
  return { bytes, numbers: total }
}

/**
 * Encodes an area given as its numbers' offsets within the area (national number − area × 10^7),
 * ascending and distinct, with `counts` holding the numbers on each page.
 * The same block as {@link encodeAreaBlock} gives for the same numbers, built without scanning
 * bitmaps: each container is written from its page's offsets. Returns `null` for no numbers.
 */
export function encodeSortedOffsets(offsets: Int32Array, counts: Uint16Array): { readonly bytes: Uint8Array; readonly numbers: number } | null {
  if (offsets.length === 0) return null
  const { bytes, view } = blockHeader(counts, offsets.length)
  let off = BLOCK_HEADER_BYTES
  let k = 0
  for (let p = 0; p < AREA_PAGES; p++) {
    const n = counts[p]!
    if (n === 0) continue
    const base = p * PAGE_NUMBERS
    const end = k + n
    if (n > BUCKET_MAX) {
      for (; k < end; k++) {
        const o = offsets[k]! - base
        bytes[off + (o >> 3)]! |= 1 << (o & 7)
      }
    } else if (n > ARRAY_MAX) {
      // bucket b starts at the index of the page's first offset at or above b × 256
      const lows = off + 2 * BUCKET_STARTS
      let bucket = -1
      for (let j = 0; k < end; k++, j++) {
        const o = offsets[k]! - base
        const ob = o >> 8
        while (bucket < ob) view.setUint16(off + 2 * ++bucket, j, true)
        bytes[lows + j] = o & 255
      }
      while (bucket < BUCKET_STARTS - 1) view.setUint16(off + 2 * ++bucket, n, true)
    } else {
      for (let j = 0; k < end; k++, j++) view.setUint16(off + 2 * j, offsets[k]! - base, true)
    }
    off += containerBytes(n)
  }
  return { bytes, numbers: offsets.length }
}

/**
 * Checks a block's structure (magic, counts, sizes, total) and returns its total; throws a
 * `RangeError` naming what is wrong. Containers' contents are checked by {@link forEachPage}.
 */
export function checkAreaBlock(bytes: Uint8Array): number {
  if (bytes.length < BLOCK_HEADER_BYTES || MAGIC.some((m, i) => bytes[i] !== m)) throw new RangeError('not a registry area block')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let total = 0
  let size = BLOCK_HEADER_BYTES
  for (let p = 0; p < AREA_PAGES; p++) {
    const n = view.getUint16(8 + 2 * p, true)
    if (n > PAGE_NUMBERS) throw new RangeError('registry area block: a page count is out of range')
    total += n
    size += containerBytes(n)
  }
  if (size !== bytes.length) throw new RangeError('registry area block: wrong length')
  if (total !== view.getUint32(4, true)) throw new RangeError('registry area block: wrong total')
  return total
}

/**
 * Calls `fn(p, bitmap)` for every non-empty page with the page as a 1,250-byte bitmap (a scratch
 * buffer reused between calls: copy it to keep it).
 */
export function forEachPage(bytes: Uint8Array, fn: (page: number, bitmap: Uint8Array) => void): void {
  checkAreaBlock(bytes)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const scratch = new Uint8Array(BITMAP_BYTES)
  let off = BLOCK_HEADER_BYTES
  for (let p = 0; p < AREA_PAGES; p++) {
    const n = view.getUint16(8 + 2 * p, true)
    if (n === 0) continue
    if (n > BUCKET_MAX) {
      scratch.set(bytes.subarray(off, off + BITMAP_BYTES))
    } else {
      scratch.fill(0)
      if (n > ARRAY_MAX) {
        const lows = off + 2 * BUCKET_STARTS
        if (view.getUint16(off, true) !== 0 || view.getUint16(off + 2 * (BUCKET_STARTS - 1), true) !== n) throw new RangeError('registry area block: bad bucket starts')
        for (let b = 0; b < BUCKET_STARTS - 1; b++) {
          const from = view.getUint16(off + 2 * b, true)
          const to = view.getUint16(off + 2 * b + 2, true)
          if (to < from || (b === BUCKET_STARTS - 2 && to > from && (b << 8) + bytes[lows + to - 1]! >= PAGE_NUMBERS)) throw new RangeError('registry area block: bad bucket')
          for (let k = from; k < to; k++) {
            const o = (b << 8) | bytes[lows + k]!
            scratch[o >> 3]! |= 1 << (o & 7)
          }
        }
      } else {
        for (let k = 0; k < n; k++) {
          const o = view.getUint16(off + 2 * k, true)
          if (o >= PAGE_NUMBERS) throw new RangeError('registry area block: an offset is out of range')
          scratch[o >> 3]! |= 1 << (o & 7)
        }
      }
    }
    fn(p, scratch)
    off += containerBytes(n)
  }
}
