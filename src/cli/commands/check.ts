import type { Command } from 'commander'
import { addressHint, maybeInstant, requireText } from '../../app/input.js'
import type { CheckResult } from '../../app/services/gate.js'
import { emit, withServices } from '../session.js'

interface CheckFlags {
  campaign: string
  phone: string
  at?: string
  state?: string
  zip?: string
}

/** `dialward check`: may this number be called now, for this campaign? */
export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('may this number be called now, for this campaign?')
    .requiredOption('--campaign <id>')
    .requiredOption('--phone <phone>')
    .option('--at <instant>', 'the instant of the call (default now)')
    .option('--state <code>', "consumer's address state/province")
    .option('--zip <zip>', "consumer's address ZIP code")
    .action((f: CheckFlags, cmd: Command) =>
      withServices(cmd, 'existing', async (s, ctx) => {
        const r = await s.gate.check(ctx, {
          campaign: requireText('campaign', f.campaign, 200),
          phone: requireText('phone', f.phone, 100),
          at: maybeInstant('at', f.at),
          address: addressHint(f.state, f.zip),
        })
        emit(cmd, r, renderCheck(r))
      }),
    )
}

/** The human form of a decision: the verdict, then one line per reason with its rule. */
export function renderCheck(r: CheckResult): string {
  if (r.verdict === 'allow') return `allow ${r.phone}`
  return [`block ${r.phone ?? '(invalid number)'}`, ...r.reasons.map((x) => `  ${x.code}: ${x.message} [${x.rule}]`), ...(r.nextAllowedAt ? [`  next allowed at ${r.nextAllowedAt}`] : [])].join('\n')
}
