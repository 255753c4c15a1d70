import { AREA_PAGES, encodeAreaBlock, forEachPage } from './area-block.js'
import { PagedBitset } from './paged-bitset.js'

/** Areas (national number ÷ 10^7) that hold at least one number of `set`, ascending. */
export function areasOf(set: PagedBitset): number[] {
  const out: number[] = []
  let last = -1
  for (const prefix of set.prefixes()) {
    const area = Math.floor(prefix / AREA_PAGES)
    if (area !== last) out.push(area)
    last = area
  }
  return out
}

/** The block of one area of `set`, or `null` when the area holds no number. */
export function encodeArea(set: PagedBitset, area: number): { readonly bytes: Uint8Array; readonly numbers: number } | null {
  const base = area * AREA_PAGES
  return encodeAreaBlock((p) => set.page(base + p))
}

/** Adds every number of an area block to `set` (pages are replaced: load an area once). */
export function decodeAreaInto(set: PagedBitset, area: number, bytes: Uint8Array): void {
  const base = area * AREA_PAGES
  forEachPage(bytes, (p, bitmap) => set.setPage(base + p, bitmap))
}
