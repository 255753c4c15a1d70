/**
 * A place a called party may be in: a country, optionally a state/province, and the IANA
 * time zones the number may be in there. Candidate places are a superset: an extra place only
 * makes the gate stricter.
 */
export interface Place {
  /** ISO 3166-1 alpha-2 (`US`, `CA`, `GB`, `JM`, …). */
  readonly country: string
  /** State/province/territory code (`FL`, `ON`) or `null` when unknown. */
  readonly region: string | null
  /** Every IANA zone the callee may be in at this place. */
  readonly zones: readonly string[]
  /** Where this place came from: the number's area code, its NPA-NXX, or the consumer's address. */
  readonly source: 'area-code' | 'prefix' | 'address'
}
