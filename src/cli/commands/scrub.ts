import type { Command } from 'commander'
import { optionalText, maybeInstant, requireText } from '../../app/input.js'
import { inputSource } from '../../app/files/input-source.js'
import { outputTarget } from '../../app/files/output-target.js'
import type { ScrubSummary } from '../../app/services/scrub.js'
import { progressReporter } from '../progress.js'
import { emit, flagsOf, withServices } from '../session.js'
import { invalidInput } from '../../core/errors.js'

interface ScrubFlags {
  campaign: string
  in: string
  out: string
  at?: string
  phoneColumn?: string
  stateColumn?: string
  zipColumn?: string
  allowedOnly?: boolean
}

/** `dialward scrub`: every row of a CSV list with its verdict, reasons and next allowed time. */
export function registerScrub(program: Command): void {
  program
    .command('scrub')
    .description('scrub a CSV list: every row with its verdict, reasons and next allowed time')
    .requiredOption('--campaign <id>')
    .requiredOption('--in <path>', 'the CSV list (- for standard input)')
    .requiredOption('--out <path>', 'where the scrubbed list goes (- for standard output)')
    .option('--at <instant>', 'the instant of the calls (default now)')
    .option('--phone-column <name>')
    .option('--state-column <name>', "column holding the consumer's address state (like check --state)")
    .option('--zip-column <name>', "column holding the consumer's ZIP code (like check --zip)")
    .option('--allowed-only', 'write only the rows that may be called')
    .action((f: ScrubFlags, cmd: Command) =>
      withServices(cmd, 'existing', async (s, ctx) => {
        const campaign = requireText('campaign', f.campaign, 200)
        const at = maybeInstant('at', f.at)
        const inPath = requireText('in', f.in, 4_096)
        const outPath = requireText('out', f.out, 4_096)
        if (outPath === '-' && flagsOf(cmd).json) throw invalidInput('json', 'cannot be used with --out - (both write standard output)')
        const input = inputSource(inPath, 'in')
        const output = await outputTarget(outPath, 'out')
        const progress = progressReporter('scrubbing')
        let summary: ScrubSummary
        try {
          summary = await s.scrub.scrub(ctx, {
            campaign,
            at,
            input,
            output,
            phoneColumn: optionalText('phoneColumn', f.phoneColumn, 200),
            stateColumn: optionalText('stateColumn', f.stateColumn, 200),
            zipColumn: optionalText('zipColumn', f.zipColumn, 200),
            allowedOnly: f.allowedOnly === true,
            threads: s.config.scrubThreads ?? undefined,
            progress: progress.update,
          })
        } finally {
          progress.done()
        }
        const reasons = Object.entries(summary.byReason).map(([k, v]) => `${k}=${v}`).join(' ')
        const written = f.allowedOnly === true ? `; ${summary.written} rows written (--allowed-only)` : ''
        process.stderr.write(`scrubbed ${summary.rows} rows: ${summary.allowed} allowed, ${summary.blocked} blocked (${reasons || 'no reasons'}), ${summary.invalid} invalid${written}\n`)
        emit(cmd, summary, '')
      }),
    )
}
