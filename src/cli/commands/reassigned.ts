import type { Command } from 'commander'
import { maybeInstant, oneOf, requireDate, requirePhone } from '../../app/input.js'
import { emit, withServices } from '../session.js'

interface RecordFlags {
  phone: string
  date: string
  result: string
  queriedAt?: string
}

/** `dialward reassigned record`. */
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
}
