import { AREA_NUMBERS, PAGE_NUMBERS } from './area-block.js'

/** Counters of one counting pass: areas 0–999 shifted by one (0: not a national number), and pages 0–999. */
const COUNTERS = 1_024

/**
 * The order in which a batch of numbers is cheapest to look up in a `PackedRegistry` (packed-registry.ts): by
 * area, then by page within the area, i.e. ascending block offsets. In input order every lookup of
 * a large registry is a cache miss and a TLB miss in a different 4 KiB page; in this order the
 * lookups of a batch walk each area's block forwards, mostly within pages just used (ADR 0018:
 * with batches of 64 Ki rows the scrub takes 0.88x the wall time).
 *
 * Two stable counting passes (least significant digit first: page, then area), linear in the
 * batch. Only the lookups' locality depends on it: {@link sort} gives a permutation, and
 * {@link scatter} puts each answer back at its row, so the answers are the same in any order.
 * Buffers are kept and reused between batches.
 */
export class LookupOrder {
  /** `order[j]`: the index, in the batch, of the `j`-th number in lookup order. */
  order = new Int32Array(0)
  /** `sorted[j] = values[order[j]]`. */
  sorted = new Float64Array(0)
  #key = new Int32Array(0)
  #byPage = new Int32Array(0)
  readonly #pages = new Int32Array(COUNTERS)
  readonly #areas = new Int32Array(COUNTERS)

  /** Orders `values[0…n)` (anything that is not a number below 10^10, a negative value say, goes first). */
  sort(values: Float64Array, n: number): void {
    if (this.order.length < n) {
      this.order = new Int32Array(n)
      this.sorted = new Float64Array(n)
      this.#key = new Int32Array(n)
      this.#byPage = new Int32Array(n)
    }
    const key = this.#key
    const byPage = this.#byPage
    const order = this.order
    const sorted = this.sorted
    const pages = this.#pages
    const areas = this.#areas
    pages.fill(0)
    areas.fill(0)
    for (let k = 0; k < n; k++) {
      const v = values[k]!
      let x = 0
      if (v >= 0 && v < 10_000_000_000) {
        const a = (v / AREA_NUMBERS) | 0
        x = ((a + 1) << 10) | (((v - a * AREA_NUMBERS) / PAGE_NUMBERS) | 0)
      }
      key[k] = x
      pages[x & 1023]!++
      areas[x >> 10]!++
    }
    let at = 0
    for (let b = 0; b < COUNTERS; b++) {
      const c = pages[b]!
      pages[b] = at
      at += c
    }
    at = 0
    for (let b = 0; b < COUNTERS; b++) {
      const c = areas[b]!
      areas[b] = at
      at += c
    }
    for (let k = 0; k < n; k++) byPage[pages[key[k]! & 1023]!++] = k
    for (let j = 0; j < n; j++) {
      const k = byPage[j]!
      const to = areas[key[k]! >> 10]!++
      order[to] = k
      sorted[to] = values[k]!
    }
  }

  /** Puts answers given in lookup order back in batch order: `out[order[j]] = inOrder[j]`. */
  scatter(inOrder: Uint8Array, out: Uint8Array, n: number): void {
    const order = this.order
    for (let j = 0; j < n; j++) out[order[j]!] = inOrder[j]!
  }
}
