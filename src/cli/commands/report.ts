import type { Command } from 'commander'
import { maybeInstant, requireText } from '../../app/input.js'
import { emit, withServices } from '../session.js'

/** `dialward report abandonment`. */
export function registerReport(program: Command): void {
  const report = program.command('report').description('reports')
  report
    .command('abandonment')
    .description("a campaign's abandonment rate over the last 30 days")
    .requiredOption('--campaign <id>')
    .option('--at <instant>', 'end of the 30 days (default now)')
    .action((f: { campaign: string; at?: string }, cmd: Command) =>
      withServices(cmd, 'existing', async (s) => {
        const r = await s.calls.abandonment(requireText('campaign', f.campaign, 200), maybeInstant('at', f.at))
        emit(cmd, r, `${r.campaign}: ${r.abandoned} abandoned of ${r.liveAnswered} live-answered (${r.ratePercent}%, limit ${r.limitPercent}%)${r.overLimit ? ' — OVER LIMIT' : ''}`)
      }),
    )
}
