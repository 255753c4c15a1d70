import type { Instant } from '../time/instant.js'

/** One kept value of a contact and when it was last verified. */
export interface FieldValue {
  readonly value: string
  readonly verifiedAt: Instant
}

/** The kept values of a contact, by field name. */
export type ContactValues = Readonly<Record<string, FieldValue>>

/** What merging a newer row into a contact did. */
export interface MergeOutcome {
  readonly values: ContactValues
  /** The contact's verification instant after the merge (the latest of both). */
  readonly verifiedAt: Instant
  /** Fields whose value was taken from the incoming row. */
  readonly updated: readonly string[]
  /** Fields of the contact kept because they were verified more recently than the incoming row. */
  readonly keptNewer: readonly string[]
}

/**
 * Merges a row into a contact of the same number and purpose, keeping the most recently verified
 * value of every field: a field of the row replaces the contact's when the row was verified at the
 * same instant or later (a later row of the same file wins a tie); fields the row lacks keep
 * their value. The contact's verification instant becomes the later of both.
 */
export function mergeContact(current: ContactValues, currentVerifiedAt: Instant, incoming: Readonly<Record<string, string>>, incomingVerifiedAt: Instant): MergeOutcome {
  const values: Record<string, FieldValue> = { ...current }
  const updated: string[] = []
  const keptNewer: string[] = []
  for (const [field, value] of Object.entries(incoming)) {
    const had = current[field]
    if (had === undefined || had.verifiedAt <= incomingVerifiedAt) {
      values[field] = { value, verifiedAt: incomingVerifiedAt }
      updated.push(field)
    } else keptNewer.push(field)
  }
  return { values, verifiedAt: Math.max(currentVerifiedAt, incomingVerifiedAt), updated: updated.sort(), keptNewer: keptNewer.sort() }
}

/** A new contact's values from one row, every field verified when the row was. */
export function newContact(incoming: Readonly<Record<string, string>>, verifiedAt: Instant): ContactValues {
  const values: Record<string, FieldValue> = {}
  for (const [field, value] of Object.entries(incoming)) values[field] = { value, verifiedAt }
  return values
}
