import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { repeatedVersion, versionInForceFor, type Coverage } from './coverage.js'

interface V {
  readonly id: string
  readonly registry: string
  readonly asOf: number
  readonly importedAt: number
  readonly coverage: Coverage
  readonly contentSha256: string
}

const DAY = 86_400_000
const AREAS = [305, 786, 212]
const cover = (areas: readonly number[] | 'full'): Coverage => (areas === 'full' ? { full: true, areas: new Map() } : { full: false, areas: new Map(areas.map((a) => [a, 1])) })
/** Content stands for coverage and numbers: the same content has the same coverage. */
const version = (id: string, day: number, imported: number, areas: readonly number[] | 'full', content: string, registry = 'us-national'): V => ({
  id,
  registry,
  asOf: day * DAY,
  importedAt: imported,
  coverage: cover(areas),
  contentSha256: `${JSON.stringify(areas)}:${content}`,
})

describe('repeatedVersion: an import that would only repeat a stored version', () => {
  it('finds the version of the same content and as-of date, unless something of that date was imported over it since', () => {
    const a = version('a', 10, 1, [305], 'x')
    expect(repeatedVersion([a], 'us-national', 10 * DAY, a.contentSha256)).toBe(a)
    expect(repeatedVersion([a], 'us-national', 11 * DAY, a.contentSha256)).toBeNull()
    expect(repeatedVersion([a], 'ca-national', 10 * DAY, a.contentSha256)).toBeNull()
    expect(repeatedVersion([a], 'us-national', 10 * DAY, 'other')).toBeNull()
    // another area code of the same date does not overtake it; the same area code or a whole registry does
    expect(repeatedVersion([a, version('b', 10, 2, [786], 'y')], 'us-national', 10 * DAY, a.contentSha256)).toBe(a)
    expect(repeatedVersion([a, version('b', 10, 2, [305, 786], 'y')], 'us-national', 10 * DAY, a.contentSha256)).toBeNull()
    expect(repeatedVersion([a, version('b', 10, 2, 'full', 'y')], 'us-national', 10 * DAY, a.contentSha256)).toBeNull()
    // a newer as-of date does not: it wins at its own dates whichever copy of `a` is stored
    expect(repeatedVersion([a, version('b', 11, 2, [305], 'y')], 'us-national', 10 * DAY, a.contentSha256)).toBe(a)
    // an earlier import of other content does not either
    expect(repeatedVersion([version('b', 10, 0, [305], 'y'), a], 'us-national', 10 * DAY, a.contentSha256)).toBe(a)
  })

  it('storing a copy of the version it names changes no version in force, for any area code at any instant', () => {
    const arbVersion = fc.record({
      day: fc.integer({ min: 0, max: 3 }),
      areas: fc.oneof(fc.constant('full' as const), fc.subarray(AREAS, { minLength: 1 })),
      content: fc.constantFrom('x', 'y'),
    })
    fc.assert(
      fc.property(fc.array(arbVersion, { minLength: 1, maxLength: 6 }), arbVersion, (stored, next) => {
        const versions = stored.map((s, i) => version(`v${i}`, s.day, i, s.areas, s.content))
        const candidate = version('new', next.day, versions.length, next.areas, next.content)
        const repeated = repeatedVersion(versions, 'us-national', candidate.asOf, candidate.contentSha256)
        const withCopy = [...versions, candidate]
        let changes = false
        for (const area of [...AREAS, 999, null]) {
          for (let day = 0; day <= 4; day++) {
            const before = versionInForceFor(versions, 'us-national', area, day * DAY)
            const after = versionInForceFor(withCopy, 'us-national', area, day * DAY)
            const same = before === after || (after === candidate && before?.contentSha256 === candidate.contentSha256 && before.asOf === candidate.asOf)
            if (!same) changes = true
          }
        }
        // a repeat changes nothing
        if (repeated !== null) return !changes && repeated.contentSha256 === candidate.contentSha256
        return true
      }),
    )
  })
})
