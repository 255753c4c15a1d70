import type { Command } from 'commander'
import { maybeInstant } from '../../app/input.js'
import { policyFile, policyOption } from '../policy-option.js'
import { emit, withServices } from '../session.js'

/** `dialward inventory`: the personal data held (a starting point for a GDPR Art. 30 record or a CCPA disclosure). */
export function registerInventory(program: Command): void {
  program
    .command('inventory')
    .description('categories of personal data held, for which purposes, how many subjects, the oldest record and the next deletion (counts and dates only)')
    .option('--at <instant>', 'as of this instant (default now)')
    .addOption(policyOption())
    .action((f: { at?: string; policy?: string }, cmd: Command) => {
      const input = { at: maybeInstant('at', f.at), policyFile: policyFile(f.policy) }
      return withServices(cmd, 'existing', async (s, ctx) => {
        const r = await s.retention.inventory(ctx, input)
        const lines = [
          `inventory as of ${r.at}: ${r.subjects} numbers`,
          ...r.categories.filter((c) => c.count > 0).map((c) => `${c.class}: ${c.count} records${c.subjects === null ? '' : ` about ${c.subjects} numbers`}, oldest ${c.oldest ?? '-'}, next deletion ${c.nextDeletion ?? 'none scheduled'}`),
          ...r.purposes.map((p) => `purpose ${p.purpose}: ${p.contacts} contacts (${p.fields.map((x) => x.name).join(', ')}), next deletion ${p.nextDeletion ?? 'none scheduled'}`),
          `quarantine: ${r.quarantine.rows} rows, next deletion ${r.quarantine.nextDeletion ?? 'none scheduled'}`,
        ]
        emit(cmd, r, lines.join('\n'))
      })
    })
}
