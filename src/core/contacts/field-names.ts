/**
 * How a field name of an import file or a data schema is compared: lower case, letters and digits
 * only (`first_name`, `First Name` and `firstName` are all `firstname`).
 */
export function fieldKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '')
}

/** Column names (normalized) that hold the telephone number of a lead, in order of preference. */
export const PHONE_KEYS: readonly string[] = Object.freeze(['phone', 'phonenumber', 'number', 'mobile', 'cell', 'telephone'])

/** Column names (normalized) that hold when a lead's values were last verified (meta data, never a kept field). */
export const VERIFIED_AT_KEYS: readonly string[] = Object.freeze(['verifiedat', 'lastverified', 'lastverifiedat', 'verifieddate'])

/**
 * The well-known contact fields a dialer needs, with the other spellings an import file may use
 * for them (CRM exports, VICIdial's lead layout). A data schema may name other fields too; those
 * match only their own name.
 */
export const WELL_KNOWN_FIELDS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  first_name: ['firstname', 'givenname', 'fname'],
  last_name: ['lastname', 'surname', 'familyname', 'lname'],
  state: ['state', 'st', 'stateprovince'],
  zip: ['zip', 'zipcode', 'postalcode', 'postcode'],
  timezone: ['timezone', 'tz', 'timezonehint'],
  external_id: ['externalid', 'vendorleadcode', 'customerid', 'crmid'],
  consent_ref: ['consentref', 'consentreference', 'consentid'],
})

/** The normalized column names that fill a schema field: its own, plus the other spellings of a well-known field. */
export function fieldSpellings(field: string): readonly string[] {
  const own = fieldKey(field)
  const known = WELL_KNOWN_FIELDS[field] ?? []
  return known.includes(own) ? known : [own, ...known]
}
