import { describe, expect, it } from 'vitest'
import {
  nanpAreaCode,
  nanpDigitsToE164Fast,
  nanpInvalidReason,
  nanpNpaKind,
  nanpPhone,
  nanpPrefixZones,
} from './nanp.js'
import {
  NANP_DATA_VERSION,
  NANP_NON_GEOGRAPHIC,
  NANP_NPAS,
  NANP_PREFIX_ZONES,
} from './nanp-table.generated.js'

describe('generated NANP table', () => {
  it('has the row counts PROVENANCE documents', () => {
    expect(NANP_NPAS).toHaveLength(457)
    expect(NANP_PREFIX_ZONES).toHaveLength(1606)
    expect(NANP_NON_GEOGRAPHIC).toHaveLength(33)
    expect(NANP_DATA_VERSION).toMatch(/^sha256:[0-9a-f]{64}$/)
  })

  it('has every NPA row a superset of the prefix rows under it', () => {
    for (const [prefix, zones] of NANP_PREFIX_ZONES) {
      const area = nanpAreaCode(Number(prefix.slice(0, 3)))
      expect(area, prefix).toBeDefined()
      for (const z of zones) expect(area?.zones, prefix).toContain(z)
    }
  })
})

describe('nanpNpaKind / nanpAreaCode', () => {
  it('classifies geographic, non-geographic and unassigned codes', () => {
    expect(nanpNpaKind(305)).toBe('geographic')
    expect(nanpNpaKind(800)).toBe('non-geographic')
    expect(nanpNpaKind(888)).toBe('non-geographic')
    expect(nanpNpaKind(500)).toBe('non-geographic')
    expect(nanpNpaKind(530)).toBe('geographic')
    for (const npa of [211, 911, 370, 379, 960, 969, 555, 950, 199, 0, -1, 1000, 2.5]) {
      expect(nanpNpaKind(npa), String(npa)).toBe('unassigned')
    }
  })

  it.each([850, 208, 541, 270, 915, 928, 907, 709, 867])('split NPA %i has at least two zones', (npa) => {
    expect(nanpAreaCode(npa)?.zones.length).toBeGreaterThanOrEqual(2)
  })

  it('gives the documented zones for well-known area codes', () => {
    expect(nanpAreaCode(602)).toEqual({
      npa: 602,
      country: 'US',
      regions: ['AZ'],
      zones: ['America/Phoenix'],
    })
    expect(nanpAreaCode(850)?.zones).toEqual(['America/Chicago', 'America/New_York'])
    expect(nanpAreaCode(915)?.zones).toEqual(['America/Chicago', 'America/Denver'])
    expect(nanpAreaCode(907)?.zones).toEqual(expect.arrayContaining(['America/Adak', 'America/Anchorage']))
    expect(nanpAreaCode(709)?.zones).toContain('America/St_Johns')
    expect(nanpAreaCode(709)?.country).toBe('CA')
    expect(nanpAreaCode(902)?.regions).toEqual(['NS', 'PE'])
    expect(nanpAreaCode(867)?.regions).toEqual(['NT', 'NU', 'YT'])
    expect(nanpAreaCode(876)).toMatchObject({ country: 'JM', regions: [] })
    expect(nanpAreaCode(787)).toMatchObject({ country: 'US', regions: ['PR'] })
    expect(nanpAreaCode(800)).toBeUndefined()
  })
})

describe('nanpPrefixZones', () => {
  it('uses the longest matching prefix', () => {
    expect(nanpPrefixZones(208, 201)).toEqual(['America/Denver'])
    expect(nanpPrefixZones(208, 215)).toEqual(['America/Los_Angeles'])
    expect(nanpPrefixZones(208, 235)).toEqual(['America/Denver']) // 5-digit row 20823
    expect(nanpPrefixZones(208, 299)).toEqual(['America/Boise', 'America/Los_Angeles']) // 4-digit row 2082
    expect(nanpPrefixZones(305, 200)).toBeUndefined()
  })
})

describe('nanpInvalidReason', () => {
  it('accepts real numbers, 555 exchanges and test numbers', () => {
    expect(nanpInvalidReason(305, 200)).toBeNull()
    expect(nanpInvalidReason(212, 555)).toBeNull()
    expect(nanpInvalidReason(800, 555)).toBeNull()
  })

  it('rejects bad area and exchange codes with a reason', () => {
    expect(nanpInvalidReason(105, 555)).toMatch(/area code/)
    expect(nanpInvalidReason(911, 555)).toMatch(/N11/)
    expect(nanpInvalidReason(372, 555)).toMatch(/not assigned/)
    expect(nanpInvalidReason(305, 55)).toMatch(/exchange code/)
    expect(nanpInvalidReason(305, 199)).toMatch(/exchange code/)
    expect(nanpInvalidReason(305, 411)).toMatch(/N11/)
  })
})

describe('nanpPhone', () => {
  it('builds the canonical value', () => {
    expect(nanpPhone(3052000002)).toEqual({
      e164: '+13052000002',
      country: 'US',
      callingCode: '1',
      national: '3052000002',
      npa: 305,
      nxx: 200,
    })
    expect(nanpPhone(8005550123).country).toBeNull()
    expect(nanpPhone(4165550123).country).toBe('CA')
  })
})

describe('nanpDigitsToE164Fast', () => {
  it.each([
    ['3052000002', 3052000002],
    ['+13052000002', 3052000002],
    ['13052000002', 3052000002],
    ['(305) 200-0002', 3052000002],
    ['+1 (305) 200-0002', 3052000002],
    ['1.305.200.0002', 3052000002],
    ['305/200 0002', 3052000002],
    [' 305-200-0002\t', 3052000002],
    ['800 555 0123', 8005550123],
  ])('parses %j', (input, expected) => {
    expect(nanpDigitsToE164Fast(input)).toBe(expected)
  })

  it.each([
    '',
    '305200000',
    '305200000212',
    '+3052000002',
    '23052000002',
    '0013052000002',
    '1305200000x',
    '3051000002',
    '3052110002',
    '1052000002',
    '3702000002',
    '2112000002',
    '++13052000002',
    '1+3052000002',
    '３０５２０００００２',
  ])('returns -1 for %j', (input) => {
    expect(nanpDigitsToE164Fast(input)).toBe(-1)
  })
})
