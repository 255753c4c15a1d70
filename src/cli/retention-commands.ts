import { Command, Option } from 'commander'
import { DialwardError } from '../core/errors.js'
import { emit, withServices, flagsOf } from './session.js'
import { addHold, listHolds, releaseHold } from '../app/commands/hold.js'
import { retentionRun } from '../app/commands/retention-run.js'
import { retentionPolicy } from '../app/commands/retention-policy.js'
import { retentionForecast } from '../app/commands/retention-forecast.js'
import { retentionSchedule } from '../app/commands/retention-schedule.js'
import { erase } from '../app/commands/erase.js'
import { exportPerson } from '../app/commands/export.js'
import { verifyReceiptFile } from '../app/retention/verify-receipt.js'
import type { StepHook } from '../app/retention/finish-run.js'

type Flags = Record<string, unknown>

/**
 * Test hook (undocumented): with DIALWARD_TEST_KILL_AFTER_STEPS=N the process kills itself with
 * SIGKILL after the Nth committed step of a purge or erasure, to test crash recovery.
 */
function killHook(): StepHook | undefined {
  const n = Number(process.env['DIALWARD_TEST_KILL_AFTER_STEPS'] ?? '0')
  if (!(n > 0)) return undefined
  let steps = 0
  return () => {
    if (++steps >= n) process.kill(process.pid, 'SIGKILL')
  }
}

const policyOption = (): Option => new Option('--policy <file>', 'retention policy file (default DATA/retention-policy.json when present)')

/** Registers `retention …`, `hold …`, `erase`, `export` and `receipts verify`. */
export function registerRetentionCommands(program: Command): void {
  const retention = program.command('retention').description('retention policies, purges and forecasts')
  retention.command('policy').description('show the effective retention policy (floors, ceilings, triggers)').addOption(policyOption()).action((f: Flags, cmd: Command) =>
    withServices(cmd, 'create', async (s, ctx) => {
      const app = s.legacy
      void ctx
      const r = retentionPolicy(app, f)
      const rows = (r['classes'] as Array<Record<string, unknown>>).map((c) => `${String(c['class'])}: ceiling ${String(c['ceiling'] ?? 'kept')} from ${String(c['trigger'])}`)
      emit(cmd, r, [`policy ${String(r['source'])} (sha256 ${String(r['sha256'])})`, ...rows].join('\n'))
    }),
  )
  
    retention
      .command('run')
      .description('purge what is past its ceiling and not held; writes a signed receipt')
      .option('--at <instant>', 'the instant to purge as of (default now)')
      .option('--dry-run', 'only report what would be deleted')
      .addOption(policyOption())
  .action((f: Flags, cmd: Command) =>
    withServices(cmd, 'existing', async (s, ctx) => {
      const app = s.legacy
      void ctx
      const r = await retentionRun(app, f, killHook())
      const n = Object.values(r.deleted).reduce((a, b) => a + b, 0)
      emit(cmd, r, `${r.dryRun ? 'would delete' : 'deleted'} ${n} records, ${r.keysDestroyed} keys destroyed${r.receipt ? `; receipt ${r.receipt}` : ''}`)
    }),
  )
  
    retention
      .command('forecast')
      .description('list what will be deleted when')
      .option('--at <instant>', 'start (default now)')
      .option('--until <instant>', 'end (default one year after --at)')
      .addOption(policyOption())
  .action((f: Flags, cmd: Command) =>
    withServices(cmd, 'existing', async (s, ctx) => {
      const app = s.legacy
      void ctx
      const r = await retentionForecast(app, f)
      emit(cmd, r, r.items.map((i) => `${i.date} ${i.class} ${i.records}`).join('\n') || 'nothing due')
    }),
  )
  
    retention
      .command('schedule')
      .description('run purges now and then every interval until stopped')
      .option('--every <interval>', 'e.g. 1d, 6h, 30m (default 1d)')
      .option('--runs <n>', 'stop after n purges')
      .addOption(policyOption())
  .action((f: Flags, cmd: Command) =>
    withServices(cmd, 'existing', async (s, ctx) => {
      const app = s.legacy
      void ctx
      const stop = new AbortController()
      const onSignal = (): void => stop.abort()
      process.once('SIGTERM', onSignal)
      process.once('SIGINT', onSignal)
      try {
        await retentionSchedule(app, f, (r) => process.stdout.write(`${JSON.stringify(r)}\n`), stop.signal)
      } finally {
        process.off('SIGTERM', onSignal)
        process.off('SIGINT', onSignal)
      }
    }),
  )

  const hold = program.command('hold').description('legal holds: held data is never purged or erased')
  
    hold
      .command('add')
      .description('place a legal hold on a number, a seller, a campaign, or everything')
      .requiredOption('--id <id>')
      .requiredOption('--reason <text>')
      .option('--phone <phone>')
      .option('--seller <name>')
      .option('--campaign <id>')
      .option('--all', 'hold everything')
      .option('--until <instant>', 'the hold ends at this instant (default: until released)')
  .action((f: Flags, cmd: Command) =>
    withServices(cmd, 'create', async (s, ctx) => {
      const app = s.legacy
      void ctx
      const r = await addHold(app, f)
      emit(cmd, r, `placed legal hold ${r.id} (${r.scope})`)
    }),
  )
  hold.command('release').description('release a legal hold').requiredOption('--id <id>').action((f: Flags, cmd: Command) =>
    withServices(cmd, 'existing', async (s, ctx) => {
      const app = s.legacy
      void ctx
      const r = await releaseHold(app, f)
      emit(cmd, r, `released legal hold ${r.id}`)
    }),
  )
  hold.command('list').description('list legal holds').action((f: Flags, cmd: Command) =>
    withServices(cmd, 'existing', async (s, ctx) => {
      const app = s.legacy
      void ctx
      const r = await listHolds(app)
      emit(cmd, r, r.map((h) => `${h.id} ${h.scope}${h.target ? ` ${h.target}` : ''} ${h.active ? 'active' : 'inactive'} — ${h.reason}`).join('\n') || 'no legal holds')
    }),
  )

  
    program
      .command('erase')
      .description("erase a person's data (data-subject request), keeping only what a legal floor or hold requires and a suppression entry")
      .requiredOption('--phone <phone>')
      .option('--at <instant>', 'when the request is honored (default now)')
      .addOption(policyOption())
  .action((f: Flags, cmd: Command) =>
    withServices(cmd, 'existing', async (s, ctx) => {
      const app = s.legacy
      void ctx
      const r = await erase(app, f, killHook())
      emit(cmd, r, `erased: ${JSON.stringify(r['deleted'])}; receipt ${String(r['receipt'])}`)
    }),
  )
  
    program.command('export').description("a person's data, decrypted (access request)").requiredOption('--phone <phone>').addOption(policyOption())
  .action((f: Flags, cmd: Command) =>
    withServices(cmd, 'existing', async (s, ctx) => {
      const app = s.legacy
      void ctx
      const r = await exportPerson(app, f)
      emit(cmd, r, JSON.stringify(r, null, 2))
    }),
  )

  const receipts = program.command('receipts').description('deletion receipts')
  receipts
    .command('verify')
    .description('verify a receipt offline (signature, audit checkpoint, inclusion proof); needs no data directory')
    .argument('<file>')
    .action((file: string, _f: Flags, cmd: Command) => {
      const r = verifyReceiptFile(file)
      emit(cmd, r, r.valid ? `valid receipt ${r.id ?? ''} (${r.kind ?? ''}); signer public key sha256 ${r.publicKeySha256 ?? ''}: compare it with the key you trust` : `INVALID receipt: ${r.problems.join('; ')}`)
      if (!r.valid) throw new DialwardError('RECEIPT_INVALID', `receipt ${file} is not valid: ${r.problems[0] ?? 'unknown problem'}`)
    })
}
