import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Phone } from './phone.js'
import { nanpAreaCode, nanpPhone } from './nanp.js'
import { NANP_NON_GEOGRAPHIC, NANP_NPAS } from './nanp-table.generated.js'
import { normalizePhone } from './normalize.js'
import { candidatePlaces, isValidRegionCode, regionZones } from './places.js'

function phone(input: string): Phone {
  const r = normalizePhone(input)
  if (!r.ok) throw new Error(`test number rejected: ${r.reason}`)
  return r.phone
}

describe('candidatePlaces: area code', () => {
  it('gives one area-code place with the NPA zones', () => {
    expect(candidatePlaces(phone('+13052000002'))).toEqual([
      { country: 'US', region: 'FL', zones: ['America/New_York'], source: 'area-code' },
    ])
    expect(candidatePlaces(phone('602 555 0123'))).toEqual([
      { country: 'US', region: 'AZ', zones: ['America/Phoenix'], source: 'area-code' },
    ])
  })

  it.each([850, 208, 541, 270, 915])('keeps every zone of split NPA %i for every NXX', (npa) => {
    const [place] = candidatePlaces(phone(`${npa} 555 0123`))
    expect(place?.zones.length).toBeGreaterThanOrEqual(2)
    expect(place?.zones).toEqual(nanpAreaCode(npa)?.zones)
  })

  it('does not narrow by NPA-NXX refinement (208-201 is Denver by prefix, but Boise/LA stay)', () => {
    const [place] = candidatePlaces(phone('208 201 0000'))
    expect(place?.zones).toEqual(['America/Boise', 'America/Denver', 'America/Los_Angeles'])
  })

  it('has Alaska, Newfoundland and Navajo Nation zones', () => {
    expect(candidatePlaces(phone('907 555 0123'))[0]?.zones).toEqual(
      expect.arrayContaining(['America/Adak', 'America/Anchorage']),
    )
    expect(candidatePlaces(phone('709 555 0123'))[0]).toMatchObject({ country: 'CA', region: 'NL' })
    expect(candidatePlaces(phone('709 555 0123'))[0]?.zones).toContain('America/St_Johns')
    expect(candidatePlaces(phone('928 555 0123'))[0]?.zones).toEqual(['America/Denver', 'America/Phoenix'])
  })

  it('splits multi-province NPAs into one place per province', () => {
    expect(candidatePlaces(phone('902 555 0123')).map((p) => p.region)).toEqual(['NS', 'PE'])
    expect(candidatePlaces(phone('867 555 0123')).map((p) => p.region)).toEqual(['NT', 'NU', 'YT'])
  })

  it('gives Caribbean members and US territories their country', () => {
    expect(candidatePlaces(phone('876 555 0123'))).toEqual([
      { country: 'JM', region: null, zones: ['America/Jamaica'], source: 'area-code' },
    ])
    expect(candidatePlaces(phone('787 555 0123'))).toEqual([
      { country: 'US', region: 'PR', zones: ['America/Puerto_Rico'], source: 'area-code' },
    ])
  })

  it('treats non-geographic NPAs as anywhere in the US and Canada', () => {
    const places = candidatePlaces(phone('800 555 0123'))
    expect(places.map((p) => [p.country, p.region])).toEqual([
      ['US', null],
      ['CA', null],
    ])
    expect(places[0]?.zones).toEqual(
      expect.arrayContaining(['America/New_York', 'Pacific/Honolulu', 'America/Adak']),
    )
    expect(places[1]?.zones).toEqual(expect.arrayContaining(['America/St_Johns', 'America/Vancouver']))
  })

  it('gives other countries one place, with zones where known', () => {
    expect(candidatePlaces(phone('+44 20 7946 0000'))).toEqual([
      { country: 'GB', region: null, zones: ['Europe/London'], source: 'area-code' },
    ])
    expect(candidatePlaces(phone('+33 1 23 45 67 89'))).toEqual([
      { country: 'FR', region: null, zones: [], source: 'area-code' },
    ])
    expect(candidatePlaces(phone('+800 1234 5678'))).toEqual([])
  })
})

describe('candidatePlaces: address', () => {
  it('adds the address state with every zone used in it', () => {
    expect(candidatePlaces(phone('+13052000002'), { state: 'fl', zip: '33101' })).toEqual([
      { country: 'US', region: 'FL', zones: ['America/New_York'], source: 'area-code' },
      { country: 'US', region: 'FL', zones: ['America/Chicago', 'America/New_York'], source: 'address' },
    ])
    expect(candidatePlaces(phone('212 555 0123'), { state: 'ON' })[1]).toEqual({
      country: 'CA',
      region: 'ON',
      zones: ['America/Toronto', 'America/Winnipeg'],
      source: 'address',
    })
  })

  it('ignores a missing or blank state and a ZIP alone', () => {
    const base = candidatePlaces(phone('212 555 0123'))
    expect(candidatePlaces(phone('212 555 0123'), {})).toEqual(base)
    expect(candidatePlaces(phone('212 555 0123'), { state: null, zip: '10001' })).toEqual(base)
    expect(candidatePlaces(phone('212 555 0123'), { state: '  ' })).toEqual(base)
  })

  it('throws on an unknown state code', () => {
    expect(() => candidatePlaces(phone('212 555 0123'), { state: 'XX' })).toThrow(RangeError)
  })
})

describe('region table', () => {
  const US =
    'AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR VI GU MP AS'
  const CA = 'AB BC MB NB NL NS NT NU ON PE QC SK YT'

  it('knows every US state, DC, territory and Canadian province/territory, and nothing else', () => {
    for (const code of `${US} ${CA}`.split(' ')) expect(isValidRegionCode(code), code).toBe(true)
    expect(isValidRegionCode('fl')).toBe(true)
    for (const code of ['', 'XX', 'US', 'JM', 'UK', 'FLA', 'F', 'QB'])
      expect(isValidRegionCode(code), code).toBe(false)
  })

  it.each([
    ['FL', ['America/Chicago', 'America/New_York']],
    ['IN', ['America/Chicago', 'America/New_York']],
    ['KY', ['America/Chicago', 'America/New_York']],
    ['TN', ['America/Chicago', 'America/New_York']],
    ['MI', ['America/Chicago', 'America/New_York']],
    ['KS', ['America/Chicago', 'America/Denver']],
    ['NE', ['America/Chicago', 'America/Denver']],
    ['TX', ['America/Chicago', 'America/Denver']],
    ['OR', ['America/Denver', 'America/Los_Angeles']],
    ['AZ', ['America/Denver', 'America/Phoenix']],
    ['ON', ['America/Toronto', 'America/Winnipeg']],
  ])('%s spans %j', (code, zones) => {
    expect(regionZones(code)).toEqual(zones)
  })

  it('covers split states with all their zones', () => {
    expect(regionZones('ND')).toEqual(expect.arrayContaining(['America/Chicago', 'America/Denver']))
    expect(regionZones('SD')).toEqual(expect.arrayContaining(['America/Chicago', 'America/Denver']))
    expect(regionZones('ID')).toEqual(expect.arrayContaining(['America/Boise', 'America/Los_Angeles']))
    expect(regionZones('NV')).toEqual(expect.arrayContaining(['America/Los_Angeles', 'America/Denver']))
    expect(regionZones('AK')).toEqual(expect.arrayContaining(['America/Adak', 'America/Anchorage']))
    expect(regionZones('NL')).toContain('America/St_Johns')
  })
})

describe('candidatePlaces: properties', () => {
  it('every NANP number keeps all zones of its NPA, and an address only adds places', () => {
    const geo = NANP_NPAS.map((r) => r[0])
    const arb = fc.record({
      npa: fc.constantFrom(...geo, ...NANP_NON_GEOGRAPHIC),
      nxx: fc.integer({ min: 200, max: 999 }).filter((n) => n % 100 !== 11),
      line: fc.integer({ min: 0, max: 9999 }),
      state: fc.option(fc.constantFrom('FL', 'ON', 'TX', 'AK', 'nv'), { nil: undefined }),
    })
    fc.assert(
      fc.property(arb, ({ npa, nxx, line, state }) => {
        const p = nanpPhone(npa * 10_000_000 + nxx * 10_000 + line)
        const base = candidatePlaces(p)
        expect(base.length).toBeGreaterThan(0)
        const area = nanpAreaCode(npa)
        for (const place of base) {
          expect(place.source).toBe('area-code')
          expect(place.zones.length).toBeGreaterThan(0)
          if (area !== undefined) {
            expect(place.country).toBe(area.country)
            for (const z of area.zones) expect(place.zones).toContain(z)
          }
        }
        const withAddress = candidatePlaces(p, { state })
        expect(withAddress.slice(0, base.length)).toEqual(base)
        expect(withAddress.length).toBe(base.length + (state === undefined ? 0 : 1))
      }),
      { numRuns: 1000 },
    )
  })
})
