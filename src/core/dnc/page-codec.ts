import { PagedBitset } from './paged-bitset.js'

/** One stored page: the prefix (number without its last 4 digits) and its 1,250 bytes of bits. */
export interface PageRecord {
  readonly prefix: number
  readonly bytes: Uint8Array
}

/** Options for {@link encodePages}. */
export interface EncodePagesOptions {
  /** Copy each page instead of returning live views of the set (default `false`: no extra memory). */
  readonly copy?: boolean
}

/**
 * The set's non-empty pages in ascending prefix order, ready to store. Without `copy` the bytes
 * are live views into the set: store them before changing the set.
 */
export function encodePages(set: PagedBitset, options: EncodePagesOptions = {}): PageRecord[] {
  const copy = options.copy === true
  const out: PageRecord[] = []
  for (const prefix of set.prefixes()) {
    const page = set.page(prefix)!
    out.push({ prefix, bytes: copy ? page.slice() : page })
  }
  return out
}

/**
 * Rebuilds a set from stored pages (copied in). Prefixes must be strictly ascending, as
 * {@link encodePages} writes them, so a duplicated or reordered page is caught.
 * @throws RangeError for a bad prefix, a page that is not 1,250 bytes, or prefixes out of order.
 */
export function decodePages(pages: Iterable<PageRecord>): PagedBitset {
  const set = new PagedBitset()
  if (Array.isArray(pages)) set.reserve(pages.length)
  let last = -1
  for (const { prefix, bytes } of pages) {
    if (!(prefix > last)) throw new RangeError('decodePages: prefixes must be strictly ascending')
    set.setPage(prefix, bytes)
    last = prefix
  }
  set.trim()
  return set
}

/** First chunk of {@link digestChunks}: names the layout so a future change cannot collide. */
const DIGEST_HEADER = new TextEncoder().encode('dialward paged-bitset v1\n')

/**
 * The set's content as a canonical byte stream for a digest computed outside core
 * (e.g. `for (const c of digestChunks(set)) hash.update(c)` with SHA-256): a fixed header, then
 * for each non-empty page in ascending prefix order its prefix as 8 bytes big-endian followed by
 * its 1,250 bytes. Equal sets give equal streams however they were built.
 */
export function* digestChunks(set: PagedBitset): Generator<Uint8Array, void, undefined> {
  yield DIGEST_HEADER
  for (const prefix of set.prefixes()) {
    const head = new Uint8Array(8)
    const view = new DataView(head.buffer)
    view.setUint32(0, Math.floor(prefix / 0x1_0000_0000))
    view.setUint32(4, prefix >>> 0)
    yield head
    yield set.page(prefix)!
  }
}
