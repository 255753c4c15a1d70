import type { Command } from 'commander'
import { CALL_OUTCOMES } from '../../app/services/calls.js'
import { maybeInstant, oneOf, optionalNumber, requirePhone, requireText } from '../../app/input.js'
import { emit, withServices } from '../session.js'

interface RecordFlags {
  phone: string
  campaign: string
  at?: string
  outcome: string
  duration?: string
}

/** `dialward calls record`. */
export function registerCalls(program: Command): void {
  const calls = program.command('calls').description('call records')
  calls
    .command('record')
    .description('record a call attempt')
    .requiredOption('--phone <phone>')
    .requiredOption('--campaign <id>')
    .option('--at <instant>', 'when the call was placed (default now)')
    .requiredOption('--outcome <outcome>', 'answered|abandoned|no-answer|busy|voicemail|failed')
    .option('--duration <seconds>')
    .action((f: RecordFlags, cmd: Command) =>
      withServices(cmd, 'existing', async (s, ctx) => {
        const r = await s.calls.record(ctx, {
          phone: requirePhone('phone', f.phone),
          campaign: requireText('campaign', f.campaign, 200),
          at: maybeInstant('at', f.at),
          outcome: oneOf('outcome', f.outcome, CALL_OUTCOMES),
          durationSeconds: optionalNumber('duration', f.duration, 0, 86_400),
        })
        emit(cmd, r, `recorded call ${r.id}`)
      }),
    )
}
