import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodePages, digestChunks, encodePages } from './page-codec.js'
import { PAGE_BYTES, PagedBitset } from './paged-bitset.js'

function concat(chunks: Iterable<Uint8Array>): Uint8Array {
  const parts = [...chunks]
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

const number = fc.oneof(fc.integer({ min: 2_000_000_000, max: 9_999_999_999 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }))

describe('page codec', () => {
  it('encodes non-empty pages in prefix order', () => {
    const set = new PagedBitset()
    set.add(4165550000)
    set.add(3052000002)
    set.add(3052000011)
    set.add(2012000000)
    set.delete(2012000000)
    const pages = encodePages(set)
    expect(pages.map((p) => p.prefix)).toEqual([305200, 416555])
    expect(pages[0]!.bytes.length).toBe(PAGE_BYTES)
    expect(pages[0]!.bytes[0]).toBe(0b100)
    expect(pages[0]!.bytes[1]).toBe(0b1000)
  })

  it('copy: true detaches the pages from the set', () => {
    const set = new PagedBitset()
    set.add(3052000002)
    const live = encodePages(set)
    const copied = encodePages(set, { copy: true })
    set.add(3052000003)
    expect(live[0]!.bytes[0]).toBe(0b1100)
    expect(copied[0]!.bytes[0]).toBe(0b100)
  })

  it('rejects malformed stored pages', () => {
    const page = new Uint8Array(PAGE_BYTES)
    page[0] = 1
    expect(() => decodePages([{ prefix: 2, bytes: page }, { prefix: 1, bytes: page }])).toThrow(RangeError)
    expect(() => decodePages([{ prefix: 1, bytes: page }, { prefix: 1, bytes: page }])).toThrow(RangeError)
    expect(() => decodePages([{ prefix: 1, bytes: page.subarray(1) }])).toThrow(RangeError)
    expect(() => decodePages([{ prefix: 1.5, bytes: page }])).toThrow(RangeError)
    expect(() => decodePages([{ prefix: Number.NaN, bytes: page }])).toThrow(RangeError)
  })

  it('digest stream: header, then 8-byte big-endian prefix and page per page', () => {
    const set = new PagedBitset()
    set.add(3052000002)
    set.add(123_456_789_0000_5)
    const bytes = concat(digestChunks(set))
    const header = new TextEncoder().encode('dialward paged-bitset v1\n')
    expect(bytes.length).toBe(header.length + 2 * (8 + PAGE_BYTES))
    expect([...bytes.subarray(0, header.length)]).toEqual([...header])
    const view = new DataView(bytes.buffer, header.length)
    expect(view.getUint32(0) * 2 ** 32 + view.getUint32(4)).toBe(305200)
    const second = 8 + PAGE_BYTES
    expect(view.getUint32(second) * 2 ** 32 + view.getUint32(second + 4)).toBe(1_234_567_890)
    expect(bytes[header.length + second + 8]).toBe(0b100000)
  })

  it('property: encode/decode round-trips and the digest stream depends only on content', () => {
    fc.assert(
      fc.property(fc.array(number, { maxLength: 200 }), (xs) => {
        const a = new PagedBitset()
        for (const n of xs) a.add(n)
        const b = decodePages(encodePages(a))
        expect(b.size).toBe(a.size)
        expect(b.prefixes()).toEqual(a.prefixes())
        for (const n of xs) expect(b.has(n)).toBe(true)
        const c = new PagedBitset()
        for (const n of [...xs].reverse()) c.add(n)
        c.add(5555555555)
        c.delete(5555555555)
        expect(concat(digestChunks(c))).toEqual(concat(digestChunks(a)))
        expect(concat(digestChunks(b))).toEqual(concat(digestChunks(a)))
      }),
    )
  })
})
