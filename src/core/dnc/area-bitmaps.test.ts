import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AreaBitmaps } from './area-bitmaps.js'
import { PagedBitset } from './paged-bitset.js'
import { areasOf, encodeArea } from './area-encoding.js'

const number = fc.tuple(fc.integer({ min: 200, max: 215 }), fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 9999 })).map(([a, p, o]) => a * 10_000_000 + p * 10_000 + o)

describe('AreaBitmaps, the import working set', () => {
  it('queued (push/settle) and direct adds hold the same numbers and count the same duplicates, and encode like a PagedBitset', () => {
    fc.assert(
      fc.property(fc.array(number, { maxLength: 400 }), fc.integer({ min: 1, max: 50 }), (numbers, every) => {
        const queued = new AreaBitmaps()
        const direct = new AreaBitmaps()
        const paged = new PagedBitset()
        let dupQueued = 0
        let dupDirect = 0
        numbers.forEach((n, k) => {
          queued.push(n)
          if (k % every === 0) dupQueued += queued.settle()
          if (!direct.add(n)) dupDirect++
          paged.add(n)
        })
        dupQueued += queued.settle()
        expect(dupQueued).toBe(dupDirect)
        expect(dupDirect).toBe(numbers.length - new Set(numbers).size)
        expect(queued.size).toBe(paged.size)
        expect(direct.size).toBe(paged.size)
        expect(queued.areaList()).toEqual(areasOf(paged))
        for (const area of areasOf(paged)) {
          expect(queued.count(area)).toBe(encodeArea(paged, area)!.numbers)
          expect(Buffer.from(queued.encode(area)!.bytes).equals(encodeArea(paged, area)!.bytes)).toBe(true)
          // a block loads back into the same area
          const back = new AreaBitmaps()
          back.load(area, queued.encode(area)!.bytes)
          expect(back.count(area)).toBe(queued.count(area))
        }
        for (const n of numbers.slice(0, 20)) expect(queued.has(n)).toBe(true)
      }),
      { numRuns: 60 },
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
  })
})
