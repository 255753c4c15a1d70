import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PAGE_BYTES, PagedBitset } from './paged-bitset.js'

describe('PagedBitset', () => {
  it('adds, tests and deletes numbers, keeping size', () => {
    const set = new PagedBitset()
    expect(set.size).toBe(0)
    expect(set.has(3052000002)).toBe(false)
    expect(set.add(3052000002)).toBe(true)
    expect(set.add(3052000002)).toBe(false)
    expect(set.add(3052009999)).toBe(true)
    expect(set.add(3052010000)).toBe(true)
    expect(set.size).toBe(3)
    expect(set.has(3052000002)).toBe(true)
    expect(set.has(3052000003)).toBe(false)
    expect(set.has(3052009999)).toBe(true)
    expect(set.delete(3052000002)).toBe(true)
    expect(set.delete(3052000002)).toBe(false)
    expect(set.has(3052000002)).toBe(false)
    expect(set.size).toBe(2)
  })

  it('allocates pages lazily and lists non-empty prefixes in order', () => {
    const set = new PagedBitset()
    set.add(9999999999)
    set.add(2012000000)
    set.add(3052000002)
    set.add(3052000003)
    expect(set.pageCount).toBe(3)
    expect(set.prefixes()).toEqual([201200, 305200, 999999])
    expect(set.page(305201)).toBeUndefined()
    const page = set.page(305200)!
    expect(page.length).toBe(PAGE_BYTES)
    expect(page[0]).toBe(0b1100)
    set.delete(2012000000)
    expect(set.prefixes()).toEqual([305200, 999999])
    expect(set.page(201200)).toBeUndefined()
  })

  it('handles numbers at and above 10^10 through the wide path', () => {
    const set = new PagedBitset()
    for (const n of [0, 1, 9_999_999_999, 10_000_000_000, 447_700_900_123, Number.MAX_SAFE_INTEGER]) {
      expect(set.add(n)).toBe(true)
      expect(set.has(n)).toBe(true)
    }
    expect(set.has(10_000_000_001)).toBe(false)
    expect(set.prefixes()).toEqual([0, 999_999, 1_000_000, 44_770_090, Math.floor(Number.MAX_SAFE_INTEGER / 10_000)])
    expect(set.size).toBe(6)
  })

  it('rejects what is not a non-negative safe integer', () => {
    const set = new PagedBitset()
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      expect(() => set.add(bad)).toThrow(RangeError)
      expect(set.has(bad)).toBe(false)
      expect(set.delete(bad)).toBe(false)
    }
    set.add(3052000002)
    expect(set.has(3052000002.5)).toBe(false)
  })

  it('setPage copies, replaces and recounts', () => {
    const set = new PagedBitset()
    set.add(3052000000)
    const bytes = new Uint8Array(PAGE_BYTES)
    bytes[0] = 0xff
    bytes[PAGE_BYTES - 1] = 0x80
    set.setPage(305200, bytes)
    bytes[1] = 0xff
    expect(set.size).toBe(9)
    expect(set.has(3052000007)).toBe(true)
    expect(set.has(3052000008)).toBe(false)
    expect(set.has(3052009999)).toBe(true)
    set.setPage(305200, new Uint8Array(PAGE_BYTES))
    expect(set.size).toBe(0)
    expect(set.prefixes()).toEqual([])
    set.setPage(200000, new Uint8Array(PAGE_BYTES))
    expect(set.pageCount).toBe(1)
    expect(() => set.setPage(305200, new Uint8Array(10))).toThrow(RangeError)
    expect(() => set.setPage(-1, bytes)).toThrow(RangeError)
  })

  it('reserve and trim keep the content', () => {
    const set = new PagedBitset()
    set.reserve(1000)
    for (let nxx = 200; nxx < 1000; nxx++) set.add(3050000000 + nxx * 10_000 + nxx)
    const before = set.page(305500)!.slice()
    set.trim()
    set.reserve(2)
    expect(set.size).toBe(800)
    expect(set.pageCount).toBe(800)
    expect(set.page(305500)).toEqual(before)
    for (let nxx = 200; nxx < 1000; nxx++) expect(set.has(3050000000 + nxx * 10_000 + nxx)).toBe(true)
    set.add(2012000000)
    expect(set.has(2012000000)).toBe(true)
    expect(set.size).toBe(801)
  })

  it('fromPages builds an equal set', () => {
    const a = new PagedBitset()
    for (const n of [3052000002, 3052000003, 4165550000, 12345]) a.add(n)
    const b = PagedBitset.fromPages(a.prefixes().map((prefix) => ({ prefix, bytes: a.page(prefix)! })))
    expect(b.size).toBe(4)
    expect(b.prefixes()).toEqual(a.prefixes())
    expect(b.has(4165550000)).toBe(true)
    expect(b.has(12345)).toBe(true)
  })

  it('grows across many NPAs and slabs', () => {
    const set = new PagedBitset()
    let added = 0
    for (let npa = 200; npa < 1000; npa += 3) {
      for (let nxx = 200; nxx < 1000; nxx += 97) {
        set.add(npa * 10_000_000 + nxx * 10_000 + ((npa * nxx) % 10_000))
        added++
      }
    }
    expect(set.size).toBe(added)
    expect(set.pageCount).toBe(added)
    expect(set.has(200 * 10_000_000 + 200 * 10_000 + ((200 * 200) % 10_000))).toBe(true)
    expect(set.has(998 * 10_000_000 + 976 * 10_000 + ((998 * 976) % 10_000))).toBe(true)
    expect(set.has(998 * 10_000_000 + 976 * 10_000 + ((998 * 976) % 10_000) + 1)).toBe(false)
  })

  it('property: size equals the distinct count; has is exact', () => {
    const number = fc.oneof(
      fc.integer({ min: 0, max: 9_999_999_999 }),
      fc.integer({ min: 3_052_000_000, max: 3_052_039_999 }),
      fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    )
    fc.assert(
      fc.property(fc.array(number, { maxLength: 300 }), fc.array(number, { maxLength: 100 }), (xs, probes) => {
        const set = new PagedBitset()
        for (const n of xs) set.add(n)
        const distinct = new Set(xs)
        expect(set.size).toBe(distinct.size)
        for (const n of xs) expect(set.has(n)).toBe(true)
        for (const n of probes) expect(set.has(n)).toBe(distinct.has(n))
        const half = xs.slice(0, xs.length >> 1)
        for (const n of half) {
          set.delete(n)
          distinct.delete(n)
        }
        expect(set.size).toBe(distinct.size)
        for (const n of xs) expect(set.has(n)).toBe(distinct.has(n))
      }),
    )
  })
})
