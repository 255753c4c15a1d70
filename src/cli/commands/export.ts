import type { Command } from 'commander'
import { requirePhone } from '../../app/input.js'
import type { ExportDocument } from '../../app/services/retention.js'
import { policyFile, policyOption } from '../policy-option.js'
import { emit, withServices } from '../session.js'

interface ExportFlags {
  phone: string
  policy?: string
}

/** The human summary of an export: counts and the receipt, never the decrypted data (that needs `--json`). */
export function renderExport(r: ExportDocument): string {
  if (!r.found) return `nothing is stored about this number; receipt ${r.receipt}`
  const parts = [
    `${r.contact ? 'contact record' : 'no contact record'}`,
    `${r.consents.length} consent events`,
    `${r.dncEntries.length} do-not-call requests`,
    `${r.suppressions.length} suppression entries`,
    `${r.reassignedChecks.length} reassigned-number results`,
    `${r.calls.length} calls`,
    `${r.decisions.length} decisions`,
  ]
  return `exported ${parts.join(', ')}; receipt ${r.receipt} (--json prints the decrypted document)`
}

/** `dialward export`: an access request. */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description("a person's data, decrypted (access request); the document with --json, a summary otherwise")
    .requiredOption('--phone <phone>')
    .addOption(policyOption())
    .action((f: ExportFlags, cmd: Command) => {
      const input = { phone: requirePhone('phone', f.phone), policyFile: policyFile(f.policy) }
      return withServices(cmd, 'existing', async (s, ctx) => {
        const r = await s.retention.export(ctx, input)
        emit(cmd, r, renderExport(r))
      })
    })
}
