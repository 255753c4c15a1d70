import type { Command } from 'commander'
import { maybeInstant, requirePhone } from '../../app/input.js'
import { policyFile, policyOption } from '../policy-option.js'
import { emit, withServices } from '../session.js'

interface EraseFlags {
  phone: string
  at?: string
  policy?: string
}

/** `dialward erase`: a data-subject erasure request. */
export function registerErase(program: Command): void {
  program
    .command('erase')
    .description("erase a person's data (data-subject request), keeping only what a legal floor or hold requires and a suppression entry")
    .requiredOption('--phone <phone>')
    .option('--at <instant>', 'when the request is honored (default now)')
    .addOption(policyOption())
    .action((f: EraseFlags, cmd: Command) => {
      const input = { phone: requirePhone('phone', f.phone), at: maybeInstant('at', f.at), policyFile: policyFile(f.policy) }
      return withServices(cmd, 'existing', async (s, ctx) => {
        const r = await s.retention.erase(ctx, input)
        const deleted = Object.entries(r.deleted)
        const n = deleted.reduce((t, [, v]) => t + v, 0)
        const detail = deleted.length === 0 ? '' : ` (${deleted.map(([k, v]) => `${k} ${v}`).join(', ')})`
        emit(cmd, r, `erased ${n} records${detail}, ${r.keysDestroyed} keys destroyed; receipt ${r.receipt}`)
      })
    })
}
