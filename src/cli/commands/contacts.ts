import type { Command } from 'commander'
import { maybeInstant, optionalText, optionalWholeNumber, requirePhone, requireText } from '../../app/input.js'
import { LEAD_FORMATS } from '../../app/files/record-rows.js'
import type { LeadImportReport } from '../../app/services/contacts.js'
import { DialwardError, invalidInput } from '../../core/errors.js'
import { emit, withServices } from '../session.js'
import { fileRecords } from './import-file.js'

interface ImportFlags {
  file: string
  purpose: string
  format?: string
  strict?: boolean
  verifiedAt?: string
}

/** The human summary of a lead import (the report itself with --json). */
export function renderLeadImport(r: LeadImportReport): string {
  const dropped = Object.entries(r.fieldsDropped).map(([k, n]) => `${k} (${n})`)
  const rejected = Object.entries(r.valuesRejected).map(([k, n]) => `${k} (${n})`)
  return [
    `contacts import (${r.purpose}): ${r.rows} rows read, ${r.stored} stored, ${r.merged} merged, ${r.quarantined} quarantined${r.rejected ? ' (--strict: nothing stored)' : ''}`,
    dropped.length > 0 ? `fields dropped (not allowed for ${r.purpose}, never stored): ${dropped.join(', ')}` : 'no fields dropped',
    ...(rejected.length > 0 ? [`values refused as malformed (not stored): ${rejected.join(', ')}`] : []),
    ...(r.quarantined > 0 ? [`quarantined: ${Object.entries(r.quarantineReasons).map(([k, n]) => `${k} ${n}`).join(', ')} (dialward contacts quarantine)`] : []),
  ].join('\n')
}

/** `dialward contacts import|quarantine|correct|stale|schema`. */
export function registerContacts(program: Command): void {
  const contacts = program.command('contacts').description('contact data (leads) per purpose: only the fields the purpose allows, accurate, deleted on time')
  contacts
    .command('import')
    .description('import a lead file for a purpose: keeps only the fields the purpose allows (the others are dropped and reported), quarantines invalid numbers, merges duplicates')
    .requiredOption('--file <path>')
    .requiredOption('--purpose <purpose>', 'a purpose of the data schema (default schema: marketing, informational)')
    .option('--format <format>', 'csv|vicidial|ndjson (default csv, ndjson from the extension)')
    .option('--strict', 'refuse the whole file when any row carries a field the purpose does not allow')
    .option('--verified-at <instant>', 'when rows without a verified_at column were verified (default now)')
    .action((f: ImportFlags, cmd: Command) =>
      withServices(cmd, 'create', async (s, ctx) => {
        const { source } = fileRecords(f.file, f.format, LEAD_FORMATS)
        const r = await s.contacts.importLeads(ctx, { source, purpose: requireText('purpose', f.purpose, 100), strict: f.strict === true, verifiedAt: maybeInstant('verifiedAt', f.verifiedAt) })
        emit(cmd, r, renderLeadImport(r))
        if (r.rejected) throw new DialwardError('DISALLOWED_FIELDS', `the file carries fields the purpose "${r.purpose}" does not allow: ${Object.keys(r.fieldsDropped).join(', ')}; nothing stored`, 'file')
      }),
    )
  contacts
    .command('quarantine')
    .description('rows of imports quarantined for an invalid or missing number, with the reason (decrypted: the read is audited)')
    .option('--limit <n>', 'at most this many rows (default 1000)')
    .action((f: { limit?: string }, cmd: Command) =>
      withServices(cmd, 'existing', async (s, ctx) => {
        const r = await s.contacts.quarantine(ctx, { limit: optionalWholeNumber('limit', f.limit, 1, 1_000_000) ?? 1_000 })
        const lines = r.rows.map((q) => `${q.import} row ${q.row}: ${q.reason}`)
        emit(cmd, r, [`${r.total} rows quarantined${r.truncated ? ` (first ${r.rows.length} shown)` : ''}`, ...lines].join('\n'))
      }),
    )
  contacts
    .command('correct')
    .description("correct one field of a number's contact records (rectification, audited; the old value is kept only sealed in the audit log)")
    .requiredOption('--phone <phone>')
    .requiredOption('--field <field>')
    .option('--value <value>', 'the correct value')
    .option('--clear', 'remove the value instead')
    .option('--purpose <purpose>', "only this purpose's record (default: every purpose that keeps the field)")
    .action((f: { phone: string; field: string; value?: string; clear?: boolean; purpose?: string }, cmd: Command) => {
      if ((f.value === undefined) === (f.clear !== true)) throw invalidInput('value', 'give either --value or --clear')
      const input = { phone: requirePhone('phone', f.phone), field: requireText('field', f.field, 100), value: f.clear === true ? null : requireText('value', f.value, 1_000), purpose: optionalText('purpose', f.purpose, 100) }
      return withServices(cmd, 'existing', async (s, ctx) => {
        const r = await s.contacts.correct(ctx, input)
        emit(cmd, r, `corrected ${r.field} in ${r.corrected.length} contact record${r.corrected.length === 1 ? '' : 's'} (${r.corrected.map((c) => c.purpose).join(', ')})`)
      })
    })
  contacts
    .command('stale')
    .description('contacts whose data needs re-verification (the gate answers DATA_STALE for them); decrypted: the read is audited')
    .option('--purpose <purpose>')
    .option('--at <instant>', 'as of this instant (default now)')
    .option('--limit <n>', 'at most this many listed (default 100000)')
    .action((f: { purpose?: string; at?: string; limit?: string }, cmd: Command) =>
      withServices(cmd, 'existing', async (s, ctx) => {
        const r = await s.contacts.stale(ctx, { purpose: optionalText('purpose', f.purpose, 100), at: maybeInstant('at', f.at), limit: optionalWholeNumber('limit', f.limit, 0, 10_000_000) ?? 100_000 })
        emit(cmd, r, [`${r.total} contacts need re-verification as of ${r.at}`, ...r.contacts.map((c) => `${c.phone} ${c.purpose} verified ${c.verifiedAt}`)].join('\n'))
      }),
    )
  contacts
    .command('schema')
    .description('the data schema in force: purposes, kept fields and periods, staleness')
    .action((_f: unknown, cmd: Command) =>
      withServices(cmd, 'create', async (s) => {
        const r = s.contacts.schema()
        emit(cmd, r, [`data schema: ${r.source}`, ...r.purposes.map((p) => `${p.purpose}: ${(p.fields as Array<{ name: string }>).map((x) => x.name).join(', ')} (stale after ${p.staleAfterDays ?? 'never'} days)`)].join('\n'))
      }),
    )
}
