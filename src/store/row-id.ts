import { randomFillSync } from 'node:crypto'

/** Random bytes drawn in blocks: one `randomFillSync` per 4,096 ids instead of one per id. */
const POOL = Buffer.alloc(8 * 4096)
let poolAt = POOL.length
let lastMs = -1
let counter = 0

/**
 * A new row id: `prefix_` and a UUID version 7 (RFC 9562 §5.7) — 48 bits of Unix milliseconds,
 * a 12-bit counter that keeps ids of one process in creation order within a millisecond, and
 * 62 random bits. Ids in creation order are appended at the right edge of their primary-key
 * B-tree instead of touching a random page each, which is most of a bulk import's writes. The
 * id says when the row was made, which every table also stores in the clear.
 */
export function rowId(prefix: string): string {
  let ms = Date.now()
  if (ms > lastMs) {
    lastMs = ms
    counter = 0
  } else {
    ms = lastMs
    if (++counter > 0xfff) {
      // 4,096 ids in one millisecond: borrow the next one (ids stay ordered and unique)
      lastMs = ++ms
      counter = 0
    }
  }
  if (poolAt + 8 > POOL.length) {
    randomFillSync(POOL)
    poolAt = 0
  }
  const r = POOL.subarray(poolAt, (poolAt += 8))
  const hex = (b: number): string => (b < 16 ? '0' : '') + b.toString(16)
  const time = ms.toString(16).padStart(12, '0')
  const variant = (r[0]! & 0x3f) | 0x80
  return (
    `${prefix}_${time.slice(0, 8)}-${time.slice(8)}-7${counter.toString(16).padStart(3, '0')}-` +
    `${hex(variant)}${hex(r[1]!)}-${hex(r[2]!)}${hex(r[3]!)}${hex(r[4]!)}${hex(r[5]!)}${hex(r[6]!)}${hex(r[7]!)}`
  )
}
