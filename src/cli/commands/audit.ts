import { resolve } from 'node:path'
import type { Command } from 'commander'
import { invalidInput } from '../../core/errors.js'
import { tamperError } from '../../app/services/audit.js'
import { emit, flagsOf, withServices } from '../session.js'

interface VerifyFlags {
  checkpoints?: string
}

interface ProofFlags {
  entry: string
  from?: string
}

/** A whole number (0 or more) given as text. */
function wholeNumber(field: string, value: string): number {
  if (!/^\d{1,15}$/.test(value)) throw invalidInput(field, 'must be a whole number (0 or more)')
  return Number(value)
}

/** `dialward audit verify|proof`: the tamper-evident audit log. */
export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the tamper-evident audit log')
  audit
    .command('verify')
    .description('recompute the audit log and check every signed checkpoint; exit 3 naming the first bad entry when tampered')
    .option('--checkpoints <file>', 'verify against this checkpoint file (the off-machine copy) instead of the database')
    .action((f: VerifyFlags, cmd: Command) =>
      withServices(cmd, 'inspect', async (s, ctx) => {
        const r = await s.audit.verify(ctx, { checkpointFile: f.checkpoints === undefined ? null : resolve(f.checkpoints) })
        if (!r.ok) {
          if (flagsOf(cmd).json) emit(cmd, r, '')
          throw tamperError(r)
        }
        const latest = r.latestCheckpoint
        emit(
          cmd,
          r,
          `audit log intact: ${r.entries} entries, root ${r.root}; ${r.checkpoints} signed checkpoint(s) from the ${r.checkpointSource}` +
            (latest ? `, latest covers ${latest.size} (${latest.time})` : '') +
            (r.uncovered > 0 ? `; ${r.uncovered} newer entries not yet checkpointed` : ''),
        )
      }),
    )
  audit
    .command('proof')
    .description('print an inclusion proof of one entry against the latest signed checkpoint')
    .requiredOption('--entry <seq>', 'the entry (seq, from 0)')
    .option('--from <size>', 'also prove the latest checkpoint consistent with the earlier one of this size')
    .action((f: ProofFlags, cmd: Command) =>
      withServices(cmd, 'existing', async (s, ctx) => {
        const p = await s.audit.proof(ctx, { entry: wholeNumber('entry', f.entry), from: f.from === undefined ? null : wholeNumber('from', f.from) })
        emit(cmd, p, [`entry ${p.entry.seq} (${p.entry.action}) leaf ${p.entry.leafHash}`, `in checkpoint size ${p.checkpoint.size} root ${p.checkpoint.root}`, ...p.inclusionProof.map((h, i) => `  ${i}: ${h}`)].join('\n'))
      }),
    )
}
