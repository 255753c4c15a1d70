import type { Executor } from '../../store/schema.js'
import type { Repositories } from '../../store/repos/index.js'
import type { SubjectFile } from '../../store/repos/subject-records.js'
import type { ScopeRow } from '../../store/repos/row-heads.js'
import { subjectScope } from '../../store/repos/row-ledger.js'
import { isError } from '../../core/errors.js'

/** Every covered row of a number's file, for verifying it against its scope head. */
export function scopeRows(file: SubjectFile<true>): ScopeRow[] {
  const rows: ScopeRow[] = []
  if (file.subject) rows.push({ table: 'subjects', row: file.subject })
  for (const row of file.consent) rows.push({ table: 'consent_events', row })
  for (const row of file.dnc) rows.push({ table: 'dnc_entries', row })
  for (const row of file.reassigned) rows.push({ table: 'reassigned_checks', row })
  for (const row of file.calls) rows.push({ table: 'calls', row })
  for (const row of file.suppressions) rows.push({ table: 'suppressions', row })
  for (const row of file.contacts) rows.push({ table: 'contacts', row })
  return rows
}

/**
 * Reads numbers' files (every row, sealed columns and all calls included) and verifies each
 * against its scope head and the newest audit entry that wrote it (ADR 0011): a row deleted,
 * changed or added behind Dialward is `AUDIT_TAMPERED` and nothing is returned. Reading every
 * number (`all`) also verifies the heads of numbers whose rows are all gone.
 */
export async function readVerified(ex: Executor, repos: Pick<Repositories, 'subjectRecords' | 'rowHeads'>, selection: { readonly bidx: readonly string[] } | { readonly all: true }): Promise<Map<string, SubjectFile<true>>> {
  // the rows and the heads are separate reads: a write committed between them (another process on
  // PostgreSQL) looks like a mismatch once, tampering stays; so a mismatch is confirmed by rereading
  for (let attempt = 1; ; attempt++) {
    try {
      return await readOnce(ex, repos, selection)
    } catch (err) {
      if (!isError(err, 'AUDIT_TAMPERED') || attempt >= CONFIRMATIONS) throw err
      await new Promise((r) => setTimeout(r, 10 * attempt))
    }
  }
}

/** Reads before a mismatch counts as tampering. */
const CONFIRMATIONS = 4

async function readOnce(ex: Executor, repos: Pick<Repositories, 'subjectRecords' | 'rowHeads'>, selection: { readonly bidx: readonly string[] } | { readonly all: true }): Promise<Map<string, SubjectFile<true>>> {
  const files = await repos.subjectRecords.read(ex, selection, { sealed: true })
  const scopes = new Map<string, ScopeRow[]>()
  for (const [bidx, file] of files) scopes.set(subjectScope(bidx), scopeRows(file))
  if ('all' in selection) for (const s of await repos.rowHeads.subjectScopes(ex)) if (!scopes.has(s)) scopes.set(s, [])
  const freshness = 'all' in selection ? await repos.rowHeads.newestSubjectWritesAll(ex) : await repos.rowHeads.newestSubjectWrites(ex, [...files.keys()])
  for (const s of freshness.keys()) if (!scopes.has(s)) scopes.set(s, [])
  await repos.rowHeads.verify(ex, scopes, freshness)
  return files
}

/** A file limited to the calls at or after `since` (what the gate needs of it). */
export function callsSince<S extends boolean>(file: SubjectFile<S>, since: number): SubjectFile<S> {
  return file.calls.every((c) => c.at >= since) ? file : { ...file, calls: file.calls.filter((c) => c.at >= since) }
}
