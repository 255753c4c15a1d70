/** How a registry's flat file writes numbers: NANP (`NPA,NXXXXXX` or 10 digits) or UK (national or E.164). */
export type RegistryFormat = 'nanp' | 'uk'

/** A validated registry id and what follows from it. */
export interface RegistryId {
  /** The id as given, e.g. `us-national`, `us-state-FL`, `ca-national`, `uk-tps`. */
  readonly id: string
  readonly country: 'US' | 'CA' | 'GB'
  readonly kind: 'national' | 'state'
  /** Two-letter state/territory code for `us-state-XX`, else `null`. */
  readonly state: string | null
  readonly format: RegistryFormat
  /** Oldest as-of age (days) at which the registry still counts as fresh: 31 (US, CA), 28 (UK). */
  readonly maxAgeDays: 31 | 28
}

/** The 50 states, DC, and the territories with their own NANP area codes (PR, VI, GU, MP, AS). */
export const US_STATE_CODES: ReadonlySet<string> = new Set([
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY',
  'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND',
  'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY',
  'DC', 'PR', 'VI', 'GU', 'MP', 'AS',
])

const NATIONAL: Readonly<Record<string, RegistryId>> = {
  'us-national': { id: 'us-national', country: 'US', kind: 'national', state: null, format: 'nanp', maxAgeDays: 31 },
  'ca-national': { id: 'ca-national', country: 'CA', kind: 'national', state: null, format: 'nanp', maxAgeDays: 31 },
  'uk-tps': { id: 'uk-tps', country: 'GB', kind: 'national', state: null, format: 'uk', maxAgeDays: 28 },
}

/**
 * Validates a registry id (`us-national`, `ca-national`, `uk-tps`, `us-state-XX` with XX an
 * upper-case US state/DC/territory code) and says what it implies; `null` when it is not one.
 * Ids are exact: no case folding, no surrounding whitespace.
 */
export function parseRegistryId(id: string): RegistryId | null {
  if (Object.hasOwn(NATIONAL, id)) return NATIONAL[id]!
  if (id.length === 11 && id.startsWith('us-state-')) {
    const state = id.slice(9)
    if (US_STATE_CODES.has(state)) return { id, country: 'US', kind: 'state', state, format: 'nanp', maxAgeDays: 31 }
  }
  return null
}

/** A registry id as the contract spells it: lower case, with the state code of `us-state-XX` upper case (`US-State-fl` → `us-state-FL`). */
export function canonicalRegistryId(raw: string): string {
  const t = raw.trim()
  const state = /^us-state-([a-z]{2})$/i.exec(t)
  return state ? `us-state-${state[1]!.toUpperCase()}` : t.toLowerCase()
}
