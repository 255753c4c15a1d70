import type { Command } from 'commander'
import { emit, withServices } from '../session.js'

/** `dialward keys rotate|prune|list`: key management. */
export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('key management')
  keys
    .command('rotate')
    .description('add a new key-encryption key and re-wrap every data key under it (resumable)')
    .action((_f: unknown, cmd: Command) =>
      withServices(cmd, 'existing', async (s, ctx) => {
        const r = await s.keys.rotate(ctx)
        emit(cmd, r, `${r.resumed ? 'resumed rotation: ' : ''}every data key is wrapped under ${r.kek} (${r.rewrapped} re-wrapped); retired KEKs stay in the keyring`)
      }),
    )
  keys
    .command('prune')
    .description('destroy retired key-encryption keys no live data key is wrapped under (never the active one; resumable)')
    .action((_f: unknown, cmd: Command) =>
      withServices(cmd, 'existing', async (s, ctx) => {
        const r = await s.keys.prune(ctx)
        const kept = r.kept.length > 0 ? `; kept ${r.kept.join(', ')} (live data keys are wrapped under them: run "dialward keys rotate" first)` : ''
        emit(cmd, r, `${r.resumed ? 'resumed prune: ' : ''}${r.pruned.length > 0 ? `destroyed ${r.pruned.length} retired KEK(s): ${r.pruned.join(', ')}` : 'nothing to prune'}${kept}; ${r.keks.length} KEK(s) remain`)
      }),
    )
  keys
    .command('list')
    .description('key ids, algorithms, states and use; the public signing key to publish')
    .action((_f: unknown, cmd: Command) =>
      withServices(cmd, 'existing', async (s, ctx) => {
        const inv = await s.keys.list(ctx)
        emit(cmd, inv, [...inv.keks.map((k) => `${k.id} ${k.state} (${k.dataKeys} data keys)`), ...(inv.prunePending ? [`prune pending for ${inv.prunePending.join(', ')}: rerun "dialward keys prune"`] : []), `signing key ${inv.signing.id} SHA-256 ${inv.signing.publicKeySha256}`].join('\n'))
      }),
    )
}
