import { describe, expect, it } from 'vitest'
import type { RegistryVersion } from '../../store/repos/registries.js'
import { describeAreaCodes, registryFreshness } from './registry-freshness.js'
import { registryStatus } from './registry-status.js'

const d = (iso: string): number => Date.parse(`${iso}T00:00:00Z`)
const version = (id: string, registry: string, asOf: string, areas: Array<[number, number]> | 'whole', numbers = 10): RegistryVersion => ({
  id,
  registry,
  asOf: d(asOf),
  importedAt: d(asOf) + 3_600_000,
  keyId: 'k',
  coverage: areas === 'whole' ? { full: true, areas: new Map() } : { full: false, areas: new Map(areas) },
  layout: 'areas',
  numbers,
  contentSha256: `sha-${id}`,
})
const rows = (versions: RegistryVersion[], at: number) => registryFreshness(registryStatus(versions, at))

describe('registryFreshness (the dashboard rows of registry status)', () => {
  it('judges the version in force on the UTC day: as-of D serves calls through D + 31 days (US), refused from the day after', () => {
    const whole = [{ ...version('a', 'us-national', '2026-11-01', 'whole'), coverage: { full: true, areas: new Map([[305, 4], [786, 2]]) } }]
    const lastFresh = rows(whole, Date.parse('2026-12-02T23:59:59Z')).find((r) => r.registry === 'us-national')!
    expect(lastFresh).toMatchObject({ areaCodes: 'all', version: 'a', asOf: '2026-11-01', ageDays: 31, state: 'fresh', staleFrom: '2026-12-03', maxAgeDays: 31, numbers: 6 })
    const firstStale = rows(whole, d('2026-12-03')).find((r) => r.registry === 'us-national')!
    expect(firstStale).toMatchObject({ ageDays: 32, state: 'stale', staleFrom: '2026-12-03' })
  })

  it('uses 28 days for the UK TPS', () => {
    const [row] = rows([version('t', 'uk-tps', '2026-11-01', 'whole')], d('2026-11-30'))
    expect(row).toMatchObject({ registry: 'uk-tps', country: 'GB', areaCodes: 'all', ageDays: 29, maxAgeDays: 28, state: 'stale', staleFrom: '2026-11-30' })
  })

  it('gives each area-code range its own row when the ranges rely on different versions, stale first', () => {
    const versions = [version('fl-305', 'us-state-FL', '2026-10-01', [[305, 3]]), version('fl-786', 'us-state-FL', '2026-11-25', [[786, 2], [954, 1]])]
    const fl = rows(versions, d('2026-12-01')).filter((r) => r.registry === 'us-state-FL')
    expect(fl.map((r) => [r.areaCodes, r.version, r.state, r.numbers])).toEqual([
      ['305', 'fl-305', 'stale', 3],
      ['786, 954', 'fl-786', 'fresh', 3],
    ])
  })

  it("lists a national registry's uncovered area codes as missing, and national registries never imported last", () => {
    const all = rows([version('n', 'us-national', '2026-11-25', [[305, 5]]), version('fl', 'us-state-FL', '2026-10-01', 'whole')], d('2026-12-01'))
    expect(all.map((r) => `${r.registry}:${r.state}`)).toEqual(['us-state-FL:stale', 'us-national:fresh', 'ca-national:missing', 'uk-tps:missing', 'us-national:missing'])
    const uncovered = all.filter((r) => r.registry === 'us-national' && r.state === 'missing')[0]!
    expect(uncovered.areaCodes).toMatch(/^\d{3}–\d{3} \(\d+ area codes\)$/)
    expect(uncovered).toMatchObject({ version: null, asOf: null, ageDays: null, staleFrom: null })
    expect(all.find((r) => r.registry === 'ca-national')).toMatchObject({ country: 'CA', areaCodes: 'all', version: null, maxAgeDays: 31 })
  })

  it('describes area codes: up to six listed, longer runs by their ends and count', () => {
    expect(describeAreaCodes(['305'])).toBe('305')
    expect(describeAreaCodes(['201', '202', '203', '204', '205', '206'])).toBe('201, 202, 203, 204, 205, 206')
    expect(describeAreaCodes(['201', '202', '203', '204', '205', '206', '207'])).toBe('201–207 (7 area codes)')
  })
})
