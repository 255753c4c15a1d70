import type { Command } from 'commander'
import { maybeInstant, oneOf, optionalName, requireText } from '../../app/input.js'
import { outputTarget, writeOutput } from '../../app/files/output-file.js'
import { LIST_FORMATS } from '../../core/contacts/list-format.js'
import { emit, withServices } from '../session.js'

/** Prints the summary of a list written to `out`: on stderr when the list itself went to standard output. */
function summarize(cmd: Command, out: string, result: unknown, human: string): void {
  if (out === '-') process.stderr.write(`${human}\n`)
  else emit(cmd, result, human)
}

/** `dialward export-list`: the contacts of a campaign's data purpose the gate allows at an instant, for a dialer. */
export function registerExportList(program: Command): void {
  program
    .command('export-list')
    .description("write the contacts the gate allows for a campaign at an instant, with only the fields the campaign's data purpose keeps (every decision logged)")
    .requiredOption('--campaign <id>')
    .requiredOption('--out <path>', 'the list file (- for standard output)')
    .option('--format <format>', 'csv|vicidial (default csv)')
    .option('--at <instant>', 'the instant of the calls (default now)')
    .action((f: { campaign: string; out: string; format?: string; at?: string }, cmd: Command) => {
      const campaign = requireText('campaign', f.campaign, 200)
      const out = outputTarget('out', requireText('out', f.out, 4_096))
      const input = { campaign, format: oneOf('format', f.format ?? 'csv', LIST_FORMATS), at: maybeInstant('at', f.at) }
      return withServices(cmd, 'existing', async (s, ctx) => {
        const { result: r, body } = await s.lists.exportList(ctx, input)
        writeOutput(out, body)
        const reasons = Object.entries(r.byReason).map(([k, n]) => `${k}=${n}`).join(' ')
        summarize(cmd, f.out, r, `export-list ${r.campaign} (${r.purpose}, ${r.format}): ${r.written} of ${r.contacts} contacts written, ${r.blocked} blocked${reasons ? ` (${reasons})` : ''}`)
      })
    })
}

/** `dialward dnc export`, added to the `dnc` command. */
export function registerDncExport(dnc: Command): void {
  dnc
    .command('export')
    .description("write the company do-not-call list for a dialer (vicidial: one number a line, as VICIdial's DNC loader takes it)")
    .requiredOption('--out <path>', 'the list file (- for standard output)')
    .option('--format <format>', 'csv|vicidial (default csv)')
    .option('--seller <name>', "only this seller's requests and those for every seller")
    .action((f: { out: string; format?: string; seller?: string }, cmd: Command) => {
      const out = outputTarget('out', requireText('out', f.out, 4_096))
      const input = { format: oneOf('format', f.format ?? 'csv', LIST_FORMATS), seller: optionalName('seller', f.seller) }
      return withServices(cmd, 'existing', async (s, ctx) => {
        const { result: r, body } = await s.lists.exportDnc(ctx, input)
        writeOutput(out, body)
        summarize(cmd, f.out, r, `dnc export (${r.format}): ${r.numbers} entries written`)
      })
    })
}
