import type { Command } from 'commander'
import { ROLES } from '../../app/context.js'
import { maybeInstant, oneOf, requireText } from '../../app/input.js'
import { emit, withServices } from '../session.js'

/** `dialward apikey create|list|revoke`: keys for the HTTP API (the secret is shown once). */
export function registerApiKey(program: Command): void {
  const apikey = program.command('apikey').description('API keys for `dialward serve` (roles admin, compliance, dialer, auditor)')
  apikey
    .command('create')
    .description('create a key; it is printed once and only its hash is stored')
    .requiredOption('--role <role>', ROLES.join('|'))
    .requiredOption('--name <name>', 'who or what uses the key (shown in the audit log)')
    .option('--expires <instant>', 'the key stops working at this instant')
    .action((f: { role: string; name: string; expires?: string }, cmd: Command) =>
      withServices(cmd, 'create', async (s, ctx) => {
        const r = await s.apiKeys.create(ctx, { name: requireText('name', f.name, 200).trim(), role: oneOf('role', f.role, ROLES), expiresAt: maybeInstant('expires', f.expires) ?? null })
        emit(cmd, { id: r.id, key: r.key, role: r.role, name: r.name, expiresAt: r.expiresAt }, `${r.key}\n(key ${r.id}, role ${r.role}: store it now, it is not shown again)`)
      }),
    )
  apikey
    .command('list')
    .description('list keys: id, name, role, created, last used, expiry, state (never the secret)')
    .action((_f, cmd: Command) =>
      withServices(cmd, 'existing', async (s) => {
        const keys = await s.apiKeys.list()
        emit(cmd, keys, keys.map((k) => `${k.id} ${k.role} ${k.state} "${k.name}" created ${k.createdAt}${k.lastUsedAt ? `, last used ${k.lastUsedAt}` : ''}${k.expiresAt ? `, expires ${k.expiresAt}` : ''}`).join('\n') || 'no API keys')
      }),
    )
  apikey
    .command('revoke')
    .description('revoke a key at once (every server refuses it within a second)')
    .requiredOption('--id <id>')
    .action((f: { id: string }, cmd: Command) =>
      withServices(cmd, 'existing', async (s, ctx) => {
        const k = await s.apiKeys.revoke(ctx, requireText('id', f.id, 64))
        emit(cmd, k, `revoked API key ${k.id}`)
      }),
    )
}
