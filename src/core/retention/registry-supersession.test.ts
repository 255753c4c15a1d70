import { describe, expect, it } from 'vitest'
import { supersededAt, type RegistryVersionFact } from './global-plan.js'

const v = (id: string, asOf: number, coverage?: { full: boolean; areas: number[] }, registry = 'us-national'): RegistryVersionFact => ({ id, registry, asOf, coverage })

/** Retention keeps a registry version while it is in force for any area code it covers. */
describe('supersededAt with coverage per area code', () => {
  it('a version of some area codes is superseded once each of them has a newer version', () => {
    const a = v('a', 1, { full: false, areas: [305, 786] })
    const b = v('b', 2, { full: false, areas: [305] })
    const c = v('c', 3, { full: false, areas: [786, 212] })
    expect(supersededAt(a, [a, b], 10)).toBe(Number.POSITIVE_INFINITY)
    expect(supersededAt(a, [a, b, c], 10)).toBe(3)
    // not before the newer versions' as-of dates are reached
    expect(supersededAt(a, [a, b, c], 2)).toBe(Number.POSITIVE_INFINITY)
    // another registry never supersedes it
    expect(supersededAt(a, [a, v('x', 5, { full: true, areas: [] }, 'ca-national')], 10)).toBe(Number.POSITIVE_INFINITY)
  })

  it('a whole registry is superseded only by a newer whole registry; it supersedes every area code', () => {
    const full = v('f', 1, { full: true, areas: [305] })
    const part = v('p', 2, { full: false, areas: [305] })
    expect(supersededAt(full, [full, part], 10)).toBe(Number.POSITIVE_INFINITY)
    const next = v('g', 5, { full: true, areas: [] })
    expect(supersededAt(full, [full, part, next], 10)).toBe(5)
    expect(supersededAt(part, [full, part, next], 10)).toBe(5)
  })

  it('versions stored before coverage existed behave as whole registries', () => {
    const old = v('o', 1)
    expect(supersededAt(old, [old, v('p', 2, { full: false, areas: [305] })], 10)).toBe(Number.POSITIVE_INFINITY)
    expect(supersededAt(old, [old, v('n', 3)], 10)).toBe(3)
  })
})
