import type { Command } from 'commander'
import { maybeInstant, oneOf, optionalText, optionalWholeNumber, requireDate, requirePhone } from '../../app/input.js'
import { emit, withServices } from '../session.js'
import { fileRecords } from './import-file.js'

interface RecordFlags {
  phone: string
  date: string
  result: string
  queriedAt?: string
}

/** `dialward reassigned record|due|import`. */
export function registerReassigned(program: Command): void {
  const reassigned = program.command('reassigned').description('reassigned-number results')
  reassigned
    .command('record')
    .description('record a Reassigned Numbers Database result')
    .requiredOption('--phone <phone>')
    .requiredOption('--date <date>')
    .requiredOption('--result <result>', 'yes|no|no-data')
    .option('--queried-at <instant>', 'when the database was asked (default now)')
    .action((f: RecordFlags, cmd: Command) =>
      withServices(cmd, 'create', async (s, ctx) => {
        const r = await s.reassigned.record(ctx, {
          phone: requirePhone('phone', f.phone),
          date: requireDate('date', f.date),
          result: oneOf('result', f.result, ['yes', 'no', 'no-data'] as const),
          queriedAt: maybeInstant('queriedAt', f.queriedAt),
        })
        emit(cmd, r, `recorded reassigned-number result ${r.id}`)
      }),
    )
  reassigned
    .command('due')
    .description('numbers whose consent is not yet checked against the Reassigned Numbers Database, with the date to query (decrypted: the read is audited)')
    .option('--campaign <id>', "only the consent this campaign's calls rely on (default: every seller's)")
    .option('--at <instant>', 'as of this instant (default now)')
    .option('--checked-since <instant>', 'results queried before this no longer count (a re-check cadence)')
    .option('--limit <n>', 'at most this many listed (default 100000)')
    .action((f: { campaign?: string; at?: string; checkedSince?: string; limit?: string }, cmd: Command) =>
      withServices(cmd, 'existing', async (s, ctx) => {
        const r = await s.reassignedWorkflow.due(ctx, {
          campaign: optionalText('campaign', f.campaign, 200),
          at: maybeInstant('at', f.at),
          checkedSince: maybeInstant('checkedSince', f.checkedSince),
          limit: optionalWholeNumber('limit', f.limit, 0, 10_000_000) ?? 100_000,
        })
        emit(cmd, r, [`${r.total} consent${r.total === 1 ? '' : 's'} to check against the Reassigned Numbers Database as of ${r.at}`, ...r.numbers.map((n) => `${n.phone},${n.queryDate}`)].join('\n'))
      }),
    )
  reassigned
    .command('import')
    .description('load a Reassigned Numbers Database results file (phone,date,result[,queried_at]) as one batch: every row valid or nothing stored')
    .requiredOption('--file <path>')
    .option('--format <format>', 'csv|ndjson (default csv, ndjson from the extension)')
    .option('--queried-at <instant>', 'when the database was asked, for rows without queried_at (default now)')
    .action((f: { file: string; format?: string; queriedAt?: string }, cmd: Command) => {
      const queriedAt = maybeInstant('queriedAt', f.queriedAt)
      return withServices(cmd, 'create', async (s, ctx) => {
        const { source } = fileRecords(f.file, f.format)
        const r = await s.reassignedWorkflow.importResults(ctx, { source, queriedAt })
        emit(cmd, r, `reassigned import: ${r.rows} rows, ${r.stored} results stored (yes ${r.results.yes}, no ${r.results.no}, no-data ${r.results['no-data']}), ${r.unchanged} already stored`)
      })
    })
}
