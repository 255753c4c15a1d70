import type { Command } from 'commander'
import { DialwardError } from '../../core/errors.js'
import { verifyReceiptFile } from '../../app/retention/verify-receipt.js'
import { emit } from '../session.js'

/** `dialward receipts verify FILE`: offline, without a data directory (`--data` is accepted and not used). */
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
}
