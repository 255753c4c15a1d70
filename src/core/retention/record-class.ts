/**
 * The record classes retention knows. Each class has a legal floor, an operator ceiling and a
 * trigger (see policy.ts and docs/reference/retention.md).
 */
export const RECORD_CLASSES = [
  'consent-evidence',
  'dnc-requests',
  'call-records',
  'decision-log',
  'contact-pii',
  'registry-versions',
  'reassigned-results',
  'suppression-list',
  'audit-log',
  'contact-fields',
] as const

/** One record class. */
export type RecordClass = (typeof RECORD_CLASSES)[number]

/** Whether a string names a record class. */
export function isRecordClass(s: string): s is RecordClass {
  return (RECORD_CLASSES as readonly string[]).includes(s)
}
