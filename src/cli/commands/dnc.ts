import type { Command } from 'commander'
import { maybeInstant, optionalName, optionalText, requirePhone } from '../../app/input.js'
import { emit, withServices } from '../session.js'
import { fileRecords, reportImport } from './import-file.js'
import { registerDncExport } from './export-list.js'

interface AddFlags {
  phone: string
  at?: string
  seller?: string
  source?: string
}

/** `dialward dnc add`. */
export function registerDnc(program: Command): void {
  const dnc = program.command('dnc').description('company-specific do-not-call list')
  dnc
    .command('add')
    .description('record a do-not-call request; without --seller it covers every seller')
    .requiredOption('--phone <phone>')
    .option('--at <instant>', 'when the request was made (default now)')
    .option('--seller <name>')
    .option('--source <text>')
    .action((f: AddFlags, cmd: Command) =>
      withServices(cmd, 'create', async (s, ctx) => {
        const r = await s.dnc.add(ctx, { phone: requirePhone('phone', f.phone), at: maybeInstant('at', f.at), seller: optionalName('seller', f.seller), source: optionalText('source', f.source, 4_000) })
        emit(cmd, r, `recorded do-not-call entry ${r.id}`)
      }),
    )
  dnc
    .command('import')
    .description('import do-not-call requests from a CSV (header: phone, seller, at, source) or NDJSON file; each record as `dnc add` records it')
    .requiredOption('--file <path>')
    .option('--format <format>', 'csv|ndjson (default from the extension)')
    .option('--strict', 'refuse the whole file when any record is refused')
    .action((f: { file: string; format?: string; strict?: boolean }, cmd: Command) =>
      withServices(cmd, 'create', async (s, ctx) => {
        const { source } = fileRecords(f.file, f.format)
        reportImport(cmd, await s.imports.dncEntries(ctx, source, { strict: f.strict === true }), 'do-not-call import')
      }),
    )
  registerDncExport(dnc)
}
