import { describe, expect, it } from 'vitest'
import { DAY } from '../time/instant.js'
import { registryFreshness, type VersionStamp } from './registry-freshness.js'

const d = (iso: string): number => Date.parse(`${iso}T00:00:00Z`)
const v = (id: string, registry: string, asOf: string, importedAt = asOf): VersionStamp => ({ id, registry, asOf: d(asOf), importedAt: d(importedAt) + DAY / 2, numbers: 10 })

describe('registryFreshness', () => {
  it('judges the version in force on the UTC day: as-of D serves calls through D + 31 days (US)', () => {
    const versions = [v('a', 'us-national', '2026-11-01')]
    const lastFresh = registryFreshness(versions, Date.parse('2026-12-02T23:59:59Z'))[0]!
    expect(lastFresh).toMatchObject({ registry: 'us-national', version: 'a', asOf: '2026-11-01', ageDays: 31, state: 'fresh', staleFrom: '2026-12-03', maxAgeDays: 31 })
    const firstStale = registryFreshness(versions, Date.parse('2026-12-03T00:00:00Z'))[0]!
    expect(firstStale).toMatchObject({ ageDays: 32, state: 'stale', staleFrom: '2026-12-03' })
  })

  it('uses 28 days for the UK TPS', () => {
    const [row] = registryFreshness([v('t', 'uk-tps', '2026-11-01')], d('2026-11-30'))
    expect(row).toMatchObject({ ageDays: 29, maxAgeDays: 28, state: 'stale', staleFrom: '2026-11-30' })
  })

  it('takes the newest as-of at or before the instant, the latest import winning a tie, and ignores later ones', () => {
    const versions = [v('old', 'us-national', '2026-10-01'), v('new', 'us-national', '2026-11-20'), v('retake', 'us-national', '2026-11-20', '2026-11-22'), v('future', 'us-national', '2026-12-20')]
    expect(registryFreshness(versions, d('2026-12-01'))[0]).toMatchObject({ version: 'retake', state: 'fresh', ageDays: 11 })
  })

  it('uses the oldest version when every version is dated after the instant (a list is never ignored)', () => {
    const versions = [v('b', 'us-state-FL', '2026-12-10'), v('a', 'us-state-FL', '2026-12-05')]
    expect(registryFreshness(versions, d('2026-12-01')).find((r) => r.registry === 'us-state-FL')).toMatchObject({ version: 'a', ageDays: 0, state: 'fresh' })
  })

  it('lists stale rows first (oldest first), then fresh, then national registries never imported', () => {
    const rows = registryFreshness([v('n', 'us-national', '2026-11-25'), v('fl', 'us-state-FL', '2026-10-01'), v('ok', 'us-state-OK', '2026-10-20')], d('2026-12-01'))
    expect(rows.map((r) => `${r.registry}:${r.state}`)).toEqual(['us-state-FL:stale', 'us-state-OK:stale', 'us-national:fresh', 'ca-national:missing', 'uk-tps:missing'])
    expect(rows.find((r) => r.registry === 'ca-national')).toMatchObject({ version: null, asOf: null, ageDays: null, staleFrom: null, maxAgeDays: 31 })
  })
})
