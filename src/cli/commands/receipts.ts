import type { Command } from 'commander'
import { DialwardError } from '../../core/errors.js'
import { verifyReceiptFile } from '../../app/retention/verify-receipt.js'
import { emit, withServices } from '../session.js'

/** `dialward receipts verify FILE`: offline, without a data directory (`--data` is accepted and not used); `dialward receipts list`: every receipt of the data directory, verified, with its erase status. */
export function registerReceipts(program: Command): void {
  const receipts = program.command('receipts').description('deletion receipts')
  receipts
    .command('verify')
    .description('verify a receipt offline (signature, audit checkpoint, inclusion proof); needs no data directory')
    .argument('<file>')
    .action((file: string, _f: object, cmd: Command) => {
      const r = verifyReceiptFile(file)
      emit(cmd, r, r.valid ? `valid receipt ${r.id ?? ''} (${r.kind ?? ''}); signer public key sha256 ${r.publicKeySha256 ?? ''}: compare it with the key you trust` : `INVALID receipt: ${r.problems.join('; ')}`)
      if (!r.valid) throw new DialwardError('RECEIPT_INVALID', `receipt ${file} is not valid: ${r.problems[0] ?? 'unknown problem'}`)
    })
  receipts
    .command('list')
    .description('every receipt of the data directory, newest first, verified now; erase complete or pending a key prune')
    .action((_f: object, cmd: Command) =>
      withServices(cmd, 'existing', async (s, ctx) => {
        const list = await s.retention.receipts(ctx)
        const line = (r: (typeof list)[number]): string =>
          `${r.id} ${r.kind} ${r.at} ${r.valid ? 'valid' : `INVALID (${r.problems.join('; ')})`}; erase ${r.erase === 'pending-key-prune' ? `pending key prune (${r.pendingKeks.join(', ')}: run "dialward keys rotate", then "dialward keys prune")` : r.erase}`
        emit(cmd, { receipts: list }, list.length === 0 ? 'no receipts' : list.map(line).join('\n'))
      }),
    )
}
