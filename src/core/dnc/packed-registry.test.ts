import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ARRAY_MAX, BITMAP_BYTES, BUCKET_MAX, checkAreaBlock, containerBytes, encodeAreaBlock, forEachPage } from './area-block.js'
import { areasOf, decodeAreaInto, encodeArea } from './area-encoding.js'
import { PagedBitset } from './paged-bitset.js'
import { PackedRegistry } from './packed-registry.js'

/** A set with pages of chosen sizes, so every container kind (array, buckets, bitmap) occurs. */
const pageSizes = fc.constantFrom(1, 2, 81, 82, 83, 84, 500, 1167, 1168, 1169, 1170, 4000, 10_000)
const spec = fc.array(
  fc.tuple(fc.integer({ min: 200, max: 999 }), fc.integer({ min: 0, max: 999 }), pageSizes, fc.integer({ min: 1, max: 2 ** 31 - 1 })),
  { maxLength: 12 },
)

function build(pages: ReadonlyArray<readonly [number, number, number, number]>): { set: PagedBitset; numbers: Set<number> } {
  const set = new PagedBitset()
  const numbers = new Set<number>()
  for (const [area, page, size, seed] of pages) {
    let x = seed
    const base = area * 10_000_000 + page * 10_000
    // a page of exactly `size` distinct offsets (or all 10,000)
    const chosen = new Set<number>()
    while (chosen.size < size) {
      x ^= x << 13
      x ^= x >>> 17
      x ^= x << 5
      chosen.add((x >>> 0) % 10_000)
    }
    for (const o of chosen) {
      set.add(base + o)
      numbers.add(base + o)
    }
  }
  return { set, numbers }
}

function packed(set: PagedBitset, shared = false): PackedRegistry {
  return PackedRegistry.build(areasOf(set).map((area) => ({ area, bytes: encodeArea(set, area)!.bytes })), shared)
}

describe('area blocks and the packed registry', () => {
  it('has() equals membership for every container kind, and round-trips through the blocks', () => {
    fc.assert(
      fc.property(spec, fc.array(fc.integer({ min: 0, max: 9_999_999_999 }), { maxLength: 200 }), fc.boolean(), (pages, probes, shared) => {
        const { set, numbers } = build(pages)
        const reg = packed(set, shared)
        expect(reg.size).toBe(numbers.size)
        // every member, its neighbours (the likeliest off-by-one misses), a fraction, and random probes
        const wrong: number[] = []
        for (const n of numbers) {
          if (!reg.has(n) || reg.has(n + 0.5)) wrong.push(n)
          if (reg.has(n + 1) !== numbers.has(n + 1)) wrong.push(n + 1)
          if (reg.has(n - 1) !== numbers.has(n - 1)) wrong.push(n - 1)
        }
        for (const n of probes) if (reg.has(n) !== numbers.has(n)) wrong.push(n)
        expect(wrong).toEqual([])
        const back = new PagedBitset()
        for (const area of areasOf(set)) decodeAreaInto(back, area, encodeArea(set, area)!.bytes)
        expect(back.size).toBe(numbers.size)
        expect([...numbers].filter((n) => !back.has(n))).toEqual([])
        // a rebuilt view over the same data (another thread's) answers the same
        // the batch lookup answers as has() does, across several of its runs of 1,024 numbers
        const once = [...probes, ...[...numbers].slice(0, 300), -1, 0.5]
        const batch = Float64Array.from(Array.from({ length: Math.ceil(2_500 / once.length) }, (_, r) => (r % 2 === 0 ? once : [...once].reverse())).flat())
        const hits = new Uint8Array(batch.length)
        reg.hasMany(batch, batch.length, hits)
        expect([...batch].filter((x, k) => (hits[k] === 1) !== reg.has(x))).toEqual([])
        const again = PackedRegistry.from(reg.data)
        expect(probes.concat([...numbers].slice(0, 500)).filter((n) => again.has(n) !== numbers.has(n))).toEqual([])
      }),
      { numRuns: 60 },
    )
  })

  it('hasMany answers as has for containers past 16 MiB of blocks (an offset once overflowed 32 bits there)', () => {
    // 14 areas of full bitmap pages (1.25 MB each) put the last area's bucket pages past 2^24 bytes
    const full = new Uint8Array(BITMAP_BYTES).fill(0xff)
    const blocks = []
    for (let area = 200; area < 214; area++) blocks.push({ area, bytes: encodeAreaBlock(() => full)!.bytes })
    // the last area: every page holds the same 190 offsets (a bucket container)
    const offsets = new Set<number>()
    for (let x = 12345; offsets.size < 190; ) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0
      offsets.add(x % 10_000)
    }
    const page = new Uint8Array(BITMAP_BYTES)
    for (const o of offsets) page[o >> 3]! |= 1 << (o & 7)
    blocks.push({ area: 214, bytes: encodeAreaBlock(() => page)!.bytes })
    const reg = PackedRegistry.build(blocks)
    expect(reg.data.pool.byteLength).toBeGreaterThan(2 ** 24)
    const values = new Float64Array(20_000)
    for (let k = 0; k < values.length; k++) values[k] = 2_140_000_000 + ((k * 7_919) % 10_000_000)
    const hits = new Uint8Array(values.length)
    reg.hasMany(values, values.length, hits)
    const truth = [...values].map((v) => offsets.has(v % 10_000))
    expect(truth.filter(Boolean).length).toBeGreaterThan(200)
    expect([...values].filter((v, k) => (hits[k] === 1) !== truth[k])).toEqual([])
    expect([...values].filter((v, k) => reg.has(v) !== truth[k])).toEqual([])
  })

  it('a block is canonical: the same set built in any order gives the same bytes', () => {
    fc.assert(
      fc.property(spec, (pages) => {
        const { numbers } = build(pages)
        const forward = new PagedBitset()
        const backward = new PagedBitset()
        const sorted = [...numbers].sort((a, b) => a - b)
        for (const n of sorted) forward.add(n)
        for (const n of sorted.reverse()) backward.add(n)
        for (const area of areasOf(forward)) expect(Buffer.from(encodeArea(backward, area)!.bytes).equals(encodeArea(forward, area)!.bytes)).toBe(true)
      }),
      { numRuns: 30 },
    )
  })

  it('no page costs more than 2 bytes a number, and each size takes the smallest container', () => {
    for (let n = 1; n <= 10_000; n++) {
      const bytes = containerBytes(n)
      expect(bytes).toBeLessThanOrEqual(2 * n)
      expect(bytes).toBeLessThanOrEqual(Math.min(2 * n, 82 + n + 1, 1250))
    }
    expect(containerBytes(ARRAY_MAX)).toBe(164)
    expect(containerBytes(BUCKET_MAX)).toBe(1250)
    expect(containerBytes(BUCKET_MAX + 1)).toBe(1250)
  })

  it('rejects malformed blocks', () => {
    const { set } = build([[305, 200, 100, 7]])
    const good = encodeArea(set, 305)!.bytes
    expect(checkAreaBlock(good)).toBe(100)
    expect(() => checkAreaBlock(good.subarray(0, good.length - 2))).toThrow(RangeError)
    const badMagic = good.slice()
    badMagic[0] = 0
    expect(() => checkAreaBlock(badMagic)).toThrow(RangeError)
    const badTotal = good.slice()
    badTotal[4] = 99
    expect(() => checkAreaBlock(badTotal)).toThrow(RangeError)
    expect(encodeAreaBlock(() => undefined)).toBeNull()
    expect(() => PackedRegistry.build([{ area: 305, bytes: good }, { area: 305, bytes: good }])).toThrow(/twice/)
    const seen: number[] = []
    forEachPage(good, (p) => seen.push(p))
    expect(seen).toEqual([200])
  })

  it('the empty set has nothing', () => {
    const empty = PackedRegistry.empty()
    expect(empty.size).toBe(0)
    expect(empty.has(3052000000)).toBe(false)
    const hits = new Uint8Array(3).fill(1)
    empty.hasMany(Float64Array.from([3052000000, 0, -1]), 3, hits)
    expect([...hits]).toEqual([0, 0, 0])
  })
})
