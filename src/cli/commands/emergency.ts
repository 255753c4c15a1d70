import type { Command } from 'commander'
import { invalidInput } from '../../core/errors.js'
import { formatInstant } from '../../core/time/instant.js'
import type { EmergencyDeclaration } from '../../store/repos/emergencies.js'
import { maybeInstant, optionalText, requireText } from '../../app/input.js'
import { emit, withServices } from '../session.js'

function region(value: unknown): string {
  const r = requireText('region', value, 10).trim().toUpperCase()
  if (!/^[A-Z]{2}-[A-Z0-9]{1,3}$/.test(r)) throw invalidInput('region', 'must be a region code such as US-LA')
  return r
}

function view(d: EmergencyDeclaration): { region: string; from: string; until: string | null; reason: string | null } {
  return { region: d.region, from: formatInstant(d.from), until: d.until === null ? null : formatInstant(d.until), reason: d.reason }
}

/** `dialward emergency declare|end|list`. */
export function registerEmergency(program: Command): void {
  const emergency = program.command('emergency').description('declared states of emergency (operator-set; Louisiana bans marketing calls during one)')
  emergency
    .command('declare')
    .description('declare a state of emergency for a region')
    .requiredOption('--region <code>', 'e.g. US-LA')
    .option('--from <instant>', 'start (default now)')
    .option('--until <instant>', 'end (exclusive); open-ended when omitted')
    .option('--reason <text>')
    .action((f: { region: string; from?: string; until?: string; reason?: string }, cmd: Command) =>
      withServices(cmd, 'create', async (s, ctx) => {
        const until = maybeInstant('until', f.until)
        const d = await s.emergencies.declare(ctx, { region: region(f.region), from: maybeInstant('from', f.from), until: until ?? null, reason: optionalText('reason', f.reason, 1_000) })
        emit(cmd, view(d), `declared emergency for ${d.region}`)
      }),
    )
  emergency
    .command('end')
    .description('end the open emergency of a region')
    .requiredOption('--region <code>')
    .option('--at <instant>', 'when it ends (default now)')
    .action((f: { region: string; at?: string }, cmd: Command) =>
      withServices(cmd, 'existing', async (s, ctx) => {
        const d = await s.emergencies.end(ctx, region(f.region), maybeInstant('at', f.at))
        emit(cmd, view(d), `ended emergency for ${d.region}`)
      }),
    )
  emergency
    .command('list')
    .description('list declared emergencies')
    .action((_f, cmd: Command) =>
      withServices(cmd, 'existing', async (s) => {
        const all = (await s.emergencies.list()).map(view)
        emit(cmd, all, all.map((d) => `${d.region} from ${d.from} until ${d.until ?? '(open)'}${d.reason ? ` — ${d.reason}` : ''}`).join('\n') || 'no emergencies declared')
      }),
    )
}
