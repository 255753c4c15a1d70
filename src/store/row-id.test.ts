import { describe, expect, it } from 'vitest'
import { rowId } from './row-id.js'

describe('rowId', () => {
  it('is a prefixed UUID version 7 carrying the current millisecond', () => {
    const before = Date.now()
    const id = rowId('sub')
    const after = Date.now()
    expect(id).toMatch(/^sub_[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    const ms = parseInt(id.slice(4, 12) + id.slice(13, 17), 16)
    expect(ms).toBeGreaterThanOrEqual(before)
    expect(ms).toBeLessThanOrEqual(after + 1)
  })

  it('orders ids by creation and never repeats one, even many in one millisecond', () => {
    const ids = Array.from({ length: 50_000 }, () => rowId('ct'))
    expect(new Set(ids).size).toBe(ids.length)
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true)
  })
})
