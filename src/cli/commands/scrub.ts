import type { Command } from 'commander'
import { scrub } from '../../app/commands/scrub.js'
import { progressReporter } from '../progress.js'
import { emit, withServices } from '../session.js'

/** `dialward scrub`: every row of a CSV list with its verdict, reasons and next allowed time. */
export function registerScrub(program: Command): void {
  program
    .command('scrub')
    .description('scrub a CSV list: every row with its verdict, reasons and next allowed time')
    .requiredOption('--campaign <id>')
    .requiredOption('--in <path>')
    .requiredOption('--out <path>')
    .option('--at <instant>', 'the instant of the calls (default now)')
    .option('--phone-column <name>')
    .option('--state-column <name>', "column holding the consumer's address state (like check --state)")
    .option('--zip-column <name>', "column holding the consumer's ZIP code (like check --zip)")
    .action((f: Record<string, unknown>, cmd: Command) =>
      withServices(cmd, 'existing', async (s, ctx) => {
        const progress = progressReporter()
        const summary = await scrub(s, ctx, f, progress.update)
        progress.done()
        const reasons = Object.entries(summary.byReason).map(([k, v]) => `${k}=${v}`).join(' ')
        process.stderr.write(`scrubbed ${summary.rows} rows: ${summary.allowed} allowed, ${summary.blocked} blocked (${reasons || 'no reasons'}), ${summary.invalid} invalid\n`)
        emit(cmd, summary, '')
      }),
    )
}
