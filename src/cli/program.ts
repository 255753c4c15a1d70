import { Command } from 'commander'
import { registerInit } from './commands/init.js'
import { registerCampaign } from './commands/campaign.js'
import { registerConsent } from './commands/consent.js'
import { registerDnc } from './commands/dnc.js'
import { registerRegistry } from './commands/registry.js'
import { registerReassigned } from './commands/reassigned.js'
import { registerCalls } from './commands/calls.js'
import { registerCheck } from './commands/check.js'
import { registerScrub } from './commands/scrub.js'
import { registerReport } from './commands/report.js'
import { registerEmergency } from './commands/emergency.js'
import { registerApiKey } from './commands/apikey.js'
import { registerServe } from './commands/serve.js'
import { registerDemo } from './commands/demo.js'
import { registerRetention } from './commands/retention.js'
import { registerHold } from './commands/hold.js'
import { registerErase } from './commands/erase.js'
import { registerExport } from './commands/export.js'
import { registerReceipts } from './commands/receipts.js'
import { registerAudit } from './commands/audit.js'
import { registerEvidence } from './commands/evidence.js'
import { registerKeys } from './commands/keys.js'
import { registerContacts } from './commands/contacts.js'
import { registerInventory } from './commands/inventory.js'
import { registerExportList } from './commands/export-list.js'

/**
 * Builds the command-line program (the contract in docs/reference/cli.md). `--data` and `--json`
 * are program options, so they may stand before or after the command name.
 */
export function buildProgram(): Command {
  const program = new Command('dialward')
    .description('Compliance and data-retention engine for auto dialers: consent, do-not-call, pre-dial gate, scrubbing.')
    .version('0.1.0')
    .option('--data <dir>', 'data directory (env DIALWARD_DATA, default ./dialward-data)')
    .option('--json', 'print one JSON document on stdout')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s.startsWith('error: ') ? `dialward: ${s.slice(7)}` : s) })
  for (const register of [
    registerInit,
    registerCampaign,
    registerConsent,
    registerDnc,
    registerRegistry,
    registerReassigned,
    registerCalls,
    registerCheck,
    registerScrub,
    registerReport,
    registerEmergency,
    registerApiKey,
    registerServe,
    registerDemo,
    registerAudit,
    registerEvidence,
    registerKeys,
    registerRetention,
    registerHold,
    registerErase,
    registerExport,
    registerReceipts,
    registerContacts,
    registerInventory,
    registerExportList,
  ]) {
    register(program)
  }
  return program
}
