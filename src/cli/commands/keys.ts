import type { Command } from 'commander'
import { emit, withServices } from '../session.js'

/** Test hook: SIGKILL this process after N data keys were re-wrapped (before that batch commits). */
const CRASH_ENV = 'DIALWARD_TEST_CRASH_AFTER_N_REWRAPS'
/** Test hook: SIGKILL this process once a prune is audited, before the keyring file is rewritten. */
const PRUNE_CRASH_ENV = 'DIALWARD_TEST_CRASH_BEFORE_KEYRING_PRUNE'

/** `dialward keys rotate|prune|list`: key management. */
export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('key management')
  keys
    .command('rotate')
    .description('add a new key-encryption key and re-wrap every data key under it (resumable)')
    .action((_f: unknown, cmd: Command) =>
      withServices(cmd, 'existing', async (s, ctx) => {
        const crashAfter = Number(process.env[CRASH_ENV] ?? '')
        const onRewrap = Number.isSafeInteger(crashAfter) && crashAfter > 0 ? (n: number) => void (n >= crashAfter && process.kill(process.pid, 'SIGKILL')) : undefined
        const r = await s.keys.rotate(ctx, { onRewrap })
        emit(cmd, r, `${r.resumed ? 'resumed rotation: ' : ''}every data key is wrapped under ${r.kek} (${r.rewrapped} re-wrapped); retired KEKs stay in the keyring`)
      }),
    )
  keys
    .command('prune')
    .description('destroy retired key-encryption keys no live data key is wrapped under (never the active one; resumable)')
    .action((_f: unknown, cmd: Command) =>
      withServices(cmd, 'existing', async (s, ctx) => {
        const onAudited = process.env[PRUNE_CRASH_ENV] === '1' ? () => void process.kill(process.pid, 'SIGKILL') : undefined
        const r = await s.keys.prune(ctx, { onAudited })
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
