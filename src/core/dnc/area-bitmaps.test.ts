import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AreaBitmaps } from './area-bitmaps.js'
import { PagedBitset } from './paged-bitset.js'
import { areasOf, encodeArea } from './area-encoding.js'

const number = fc.tuple(fc.integer({ min: 200, max: 215 }), fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 9999 })).map(([a, p, o]) => a * 10_000_000 + p * 10_000 + o)

describe('AreaBitmaps, the import working set', () => {
  it('pushed (list form) and added (bitmap form) hold the same numbers and encode like a PagedBitset, read in between or not', () => {
    fc.assert(
      fc.property(fc.array(number, { maxLength: 400 }), fc.integer({ min: 1, max: 50 }), (numbers, every) => {
        const pushed = new AreaBitmaps()
        const direct = new AreaBitmaps()
        const paged = new PagedBitset()
        let dupDirect = 0
        numbers.forEach((n, k) => {
          pushed.push(n)
          // reading the set now and then sorts what was pushed so far; later pushes merge into it
          if (k % every === 0) expect(pushed.count((n / 10_000_000) | 0)).toBeGreaterThan(0)
          if (!direct.add(n)) dupDirect++
          paged.add(n)
        })
        expect(dupDirect).toBe(numbers.length - new Set(numbers).size)
        expect(pushed.size).toBe(paged.size)
        expect(direct.size).toBe(paged.size)
        expect(pushed.areaList()).toEqual(areasOf(paged))
        expect(pushed.pageCount).toBe(direct.pageCount)
        for (const area of areasOf(paged)) {
          const expected = encodeArea(paged, area)!
          expect(pushed.count(area)).toBe(expected.numbers)
          expect(Buffer.from(pushed.encode(area)!.bytes).equals(expected.bytes)).toBe(true)
          expect(Buffer.from(direct.encode(area)!.bytes).equals(expected.bytes)).toBe(true)
          // a block loads back into the same area
          const back = new AreaBitmaps()
          back.load(area, pushed.encode(area)!.bytes)
          expect(back.count(area)).toBe(pushed.count(area))
        }
        for (const n of numbers.slice(0, 20)) expect(pushed.has(n)).toBe(true)
        for (const n of numbers.slice(0, 20)) expect(pushed.has(n + 1)).toBe(paged.has(n + 1))
      }),
      { numRuns: 60 },
    )
  })

  it('dense pages (bucket and bitmap containers) encode the same from the sorted list as from the bitmap', () => {
    const dense = fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 9999 })).map(([p, o]) => 3_050_000_000 + p * 10_000 + o)
    fc.assert(
      fc.property(fc.array(dense, { minLength: 50, maxLength: 4000, size: 'max' }), (numbers) => {
        const pushed = new AreaBitmaps()
        const paged = new PagedBitset()
        for (const n of numbers) {
          pushed.push(n)
          paged.add(n)
        }
        expect(Buffer.from(pushed.encode(305)!.bytes).equals(encodeArea(paged, 305)!.bytes)).toBe(true)
      }),
      { numRuns: 40 },
    )
  })

  it('folds a long run of pushes into the area (repeats dropped) and turns a dense area into its bitmap, keeping the same block', () => {
    // 700,000 pushes to one area: folded every 2^18; 400,000 distinct numbers, more than a list holds
    let x = 0x9e3779b9
    const next = (): number => {
      x ^= x << 13
      x ^= x >>> 17
      x ^= x << 5
      return (x >>> 0) % 400_000
    }
    const pushed = new AreaBitmaps()
    const paged = new PagedBitset()
    for (let k = 0; k < 700_000; k++) {
      const n = 3_050_000_000 + next() * 25
      pushed.push(n)
      paged.add(n)
    }
    expect(paged.size).toBeGreaterThan(312_500)
    expect(pushed.size).toBe(paged.size)
    expect(pushed.count(305)).toBe(paged.size)
    expect(Buffer.from(pushed.encode(305)!.bytes).equals(encodeArea(paged, 305)!.bytes)).toBe(true)
    expect(pushed.has(3_050_000_000 + 25 * 7)).toBe(paged.has(3_050_000_000 + 25 * 7))
  })

  it('pushes onto an area already held as a bitmap (a loaded version, an add) or as a sorted list merge into it', () => {
    fc.assert(
      fc.property(fc.array(number, { maxLength: 200 }), fc.array(number, { maxLength: 200 }), fc.constantFrom('add', 'load', 'list'), (first, second, how) => {
        const set = new AreaBitmaps()
        const paged = new PagedBitset()
        if (how === 'add') for (const n of first) set.add(n)
        else if (how === 'list') {
          for (const n of first) set.push(n)
          expect(set.size).toBe(new Set(first).size)
        } else {
          const src = new PagedBitset()
          for (const n of first) src.add(n)
          for (const area of areasOf(src)) set.load(area, encodeArea(src, area)!.bytes)
        }
        for (const n of first) paged.add(n)
        for (const n of second) {
          set.push(n)
          paged.add(n)
        }
        expect(set.size).toBe(paged.size)
        for (const area of areasOf(paged)) expect(Buffer.from(set.encode(area)!.bytes).equals(encodeArea(paged, area)!.bytes)).toBe(true)
        // a pushed area turned into a bitmap by page() keeps its numbers
        for (const area of areasOf(paged)) {
          for (let p = 0; p < 1000; p++) {
            const view = set.page(area, p)
            const want = paged.page(area * 1000 + p)
            if (want === undefined) expect(view).toBeUndefined()
            else expect(Buffer.from(view!).equals(Buffer.from(want))).toBe(true)
          }
        }
        expect(set.size).toBe(paged.size)
      }),
      { numRuns: 40 },
    )
  })

  it('deletes numbers and keeps the page counts', () => {
    const set = new AreaBitmaps()
    set.add(3052000001)
    set.add(3052000002)
    expect(set.delete(3052000001)).toBe(true)
    expect(set.delete(3052000001)).toBe(false)
    expect(set.size).toBe(1)
    expect(set.count(305)).toBe(1)
    expect(set.encode(305)!.numbers).toBe(1)
    expect(() => set.add(1e10)).toThrow(RangeError)
    // a pushed number can be deleted too (its area turns into a bitmap)
    set.push(3052000009)
    expect(set.delete(3052000009)).toBe(true)
    expect(set.has(3052000009)).toBe(false)
    expect(set.size).toBe(1)
  })
})
