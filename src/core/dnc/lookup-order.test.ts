import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { LookupOrder } from './lookup-order.js'

/** Block order: area, then page (anything not a national number first). */
function blockKey(v: number): number {
  if (!(v >= 0 && v < 10_000_000_000)) return -1
  return Math.floor(v / 10_000)
}

const value = fc.oneof(
  fc.integer({ min: 0, max: 9_999_999_999 }),
  fc.integer({ min: 2_000_000_000, max: 2_009_999_999 }),
  fc.constantFrom(-1, 0, 9_999_999_999, 10_000_000_000, 3_055_550_100, 3_055_550_199, 3_059_999_999),
)

describe('LookupOrder', () => {
  it('gives a permutation in block order, and scatter puts every answer back at its row', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 400 }), fc.array(value, { maxLength: 50 }), (first, second) => {
        const order = new LookupOrder()
        // twice with one instance: buffers are reused, a shorter batch after a longer one
        for (const batch of [first, second]) {
          const values = Float64Array.from(batch)
          const n = values.length
          order.sort(values, n)
          const seen = new Set<number>()
          for (let j = 0; j < n; j++) {
            const k = order.order[j]!
            expect(k).toBeGreaterThanOrEqual(0)
            expect(k).toBeLessThan(n)
            seen.add(k)
            expect(order.sorted[j]).toBe(values[k])
            if (j > 0) expect(blockKey(order.sorted[j]!)).toBeGreaterThanOrEqual(blockKey(order.sorted[j - 1]!))
          }
          expect(seen.size).toBe(n)
          const inOrder = new Uint8Array(n)
          for (let j = 0; j < n; j++) inOrder[j] = order.sorted[j]! % 2 === 0 ? 1 : 0
          const back = new Uint8Array(n).fill(7)
          order.scatter(inOrder, back, n)
          for (let k = 0; k < n; k++) expect(back[k]).toBe(values[k]! % 2 === 0 ? 1 : 0)
        }
      }),
    )
  })

  it('keeps the batch order within a page (stable), so equal numbers keep their rows in order', () => {
    const values = Float64Array.from([3_055_550_123, 2_015_550_000, 3_055_550_123, -1, 3_055_559_999, 2_015_550_000])
    const order = new LookupOrder()
    order.sort(values, values.length)
    expect([...order.order]).toEqual([3, 1, 5, 0, 2, 4])
  })
})
