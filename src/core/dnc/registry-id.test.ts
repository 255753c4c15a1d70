import { describe, expect, it } from 'vitest'
import { parseRegistryId, US_STATE_CODES } from './registry-id.js'

describe('parseRegistryId', () => {
  it('knows the national registries', () => {
    expect(parseRegistryId('us-national')).toEqual({ id: 'us-national', country: 'US', kind: 'national', state: null, format: 'nanp', maxAgeDays: 31 })
    expect(parseRegistryId('ca-national')).toEqual({ id: 'ca-national', country: 'CA', kind: 'national', state: null, format: 'nanp', maxAgeDays: 31 })
    expect(parseRegistryId('uk-tps')).toEqual({ id: 'uk-tps', country: 'GB', kind: 'national', state: null, format: 'uk', maxAgeDays: 28 })
  })

  it('accepts every US state, DC and territory list', () => {
    expect(US_STATE_CODES.size).toBe(56)
    for (const state of US_STATE_CODES) {
      expect(parseRegistryId(`us-state-${state}`)).toEqual({ id: `us-state-${state}`, country: 'US', kind: 'state', state, format: 'nanp', maxAgeDays: 31 })
    }
  })

  it.each(['', 'us', 'US-NATIONAL', 'us-national ', 'us-state-fl', 'us-state-XX', 'us-state-', 'us-state-FLA', 'us-state-ON', 'ca-state-ON', 'uk', 'toString', '__proto__', 'constructor'])(
    'rejects %j',
    (id) => {
      expect(parseRegistryId(id)).toBeNull()
    },
  )
})
