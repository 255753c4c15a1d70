import type { Command } from 'commander'
import { invalidInput } from '../../core/errors.js'
import { maybeInstant, requirePhone, requireText } from '../../app/input.js'
import type { HoldScopeInput } from '../../app/services/holds.js'
import { emit, withServices } from '../session.js'

interface AddFlags {
  id: string
  reason: string
  phone?: string
  seller?: string
  campaign?: string
  all?: boolean
  until?: string
}

/** The one scope named by `--phone`, `--seller`, `--campaign` or `--all`. */
function holdScope(f: AddFlags): HoldScopeInput {
  const given = (['phone', 'seller', 'campaign', 'all'] as const).filter((k) => f[k] !== undefined && f[k] !== false)
  if (given.length !== 1) throw invalidInput('scope', 'give exactly one of --phone, --seller, --campaign or --all')
  switch (given[0]!) {
    case 'phone':
      return { kind: 'phone', phone: requirePhone('phone', f.phone) }
    case 'seller':
      return { kind: 'seller', seller: requireText('seller', f.seller, 200).trim() }
    case 'campaign':
      return { kind: 'campaign', campaign: requireText('campaign', f.campaign, 200) }
    default:
      return { kind: 'all' }
  }
}

/** `dialward hold add|release|list`. */
export function registerHold(program: Command): void {
  const hold = program.command('hold').description('legal holds: held data is never purged or erased')
  hold
    .command('add')
    .description('place a legal hold on a number, a seller, a campaign, or everything')
    .requiredOption('--id <id>')
    .requiredOption('--reason <text>')
    .option('--phone <phone>')
    .option('--seller <name>')
    .option('--campaign <id>')
    .option('--all', 'hold everything')
    .option('--until <instant>', 'the hold ends at this instant (default: until released)')
    .action((f: AddFlags, cmd: Command) => {
      const input = { id: requireText('id', f.id, 200).trim(), reason: requireText('reason', f.reason, 2_000), scope: holdScope(f), until: maybeInstant('until', f.until) ?? null }
      return withServices(cmd, 'create', async (s, ctx) => {
        const r = await s.holds.add(ctx, input)
        emit(cmd, r, `placed legal hold ${r.id} (${r.scope})`)
      })
    })
  hold
    .command('release')
    .description('release a legal hold')
    .requiredOption('--id <id>')
    .action((f: { id: string }, cmd: Command) => {
      const id = requireText('id', f.id, 200).trim()
      return withServices(cmd, 'existing', async (s, ctx) => {
        const r = await s.holds.release(ctx, id)
        emit(cmd, r, `released legal hold ${r.id}`)
      })
    })
  hold
    .command('list')
    .description('list legal holds')
    .action((_f: object, cmd: Command) =>
      withServices(cmd, 'existing', async (s, ctx) => {
        const r = await s.holds.list(ctx)
        emit(cmd, r, r.map((h) => `${h.id} ${h.scope}${h.target ? ` ${h.target}` : ''} ${h.active ? 'active' : 'inactive'} — ${h.reason}`).join('\n') || 'no legal holds')
      }),
    )
}
