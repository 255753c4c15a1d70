import type { Command } from 'commander'
import { maybeInstant, optionalWholeNumber, requireInterval } from '../../app/input.js'
import type { PurgeResult } from '../../app/services/retention.js'
import { runRetentionSchedule } from '../../jobs/retention-schedule.js'
import { policyFile, policyOption } from '../policy-option.js'
import { emit, flagsOf, withServices } from '../session.js'

interface PolicyFlags {
  policy?: string
}

interface RunFlags extends PolicyFlags {
  at?: string
  dryRun?: boolean
}

interface ForecastFlags extends PolicyFlags {
  at?: string
  until?: string
}

interface ScheduleFlags extends PolicyFlags {
  every?: string
  runs?: string
}

/** The human line of a purge (or a dry run of one). */
export function renderPurge(r: PurgeResult): string {
  const n = Object.values(r.deleted).reduce((a, b) => a + b, 0)
  return `${r.dryRun ? 'would delete' : 'deleted'} ${n} records, ${r.keysDestroyed} keys destroyed${r.receipt ? `; receipt ${r.receipt}` : ''}`
}

/** `dialward retention policy|run|forecast|schedule`. */
export function registerRetention(program: Command): void {
  const retention = program.command('retention').description('retention policies, purges and forecasts')
  retention
    .command('policy')
    .description('show the effective retention policy (floors, ceilings, triggers)')
    .addOption(policyOption())
    .action((f: PolicyFlags, cmd: Command) => {
      const input = { policyFile: policyFile(f.policy) }
      return withServices(cmd, 'create', async (s, ctx) => {
        const r = s.retention.policy(ctx, input)
        const rows = r.classes.map((c) => `${String(c['class'])}: ceiling ${String(c['ceiling'] ?? 'kept')} from ${String(c['trigger'])}`)
        emit(cmd, r, [`policy ${r.source} (sha256 ${r.sha256})`, ...rows].join('\n'))
      })
    })

  retention
    .command('run')
    .description('purge what is past its ceiling and not held; writes a signed receipt')
    .option('--at <instant>', 'the instant to purge as of (default now)')
    .option('--dry-run', 'only report what would be deleted')
    .addOption(policyOption())
    .action((f: RunFlags, cmd: Command) => {
      const input = { at: maybeInstant('at', f.at), policyFile: policyFile(f.policy) }
      return withServices(cmd, 'existing', async (s, ctx) => {
        const r = f.dryRun === true ? await s.retention.dryRun(ctx, input) : await s.retention.purge(ctx, input)
        emit(cmd, r, renderPurge(r))
      })
    })

  retention
    .command('forecast')
    .description('list what will be deleted when')
    .option('--at <instant>', 'start (default now)')
    .option('--until <instant>', 'end (default one year after --at)')
    .addOption(policyOption())
    .action((f: ForecastFlags, cmd: Command) => {
      const input = { at: maybeInstant('at', f.at), until: maybeInstant('until', f.until), policyFile: policyFile(f.policy) }
      return withServices(cmd, 'existing', async (s, ctx) => {
        const r = await s.retention.forecast(ctx, input)
        emit(cmd, r, r.items.map((i) => `${i.date} ${i.class} ${i.records}`).join('\n') || 'nothing due')
      })
    })

  retention
    .command('schedule')
    .description('run purges now and then every interval until stopped; one line per run (one JSON document per line with --json)')
    .option('--every <interval>', 'e.g. 30d, 1d, 6h, 30m (default 1d)')
    .option('--runs <n>', 'stop after n purges')
    .addOption(policyOption())
    .action((f: ScheduleFlags, cmd: Command) => {
      const input = { every: requireInterval('every', f.every ?? '1d'), runs: optionalWholeNumber('runs', f.runs, 1, Number.MAX_SAFE_INTEGER), policyFile: policyFile(f.policy) }
      const json = flagsOf(cmd).json === true
      return withServices(cmd, 'existing', async (s, ctx) => {
        const stop = new AbortController()
        const onSignal = (): void => stop.abort()
        process.once('SIGTERM', onSignal)
        process.once('SIGINT', onSignal)
        try {
          await runRetentionSchedule(s.retention, ctx, input, (r) => process.stdout.write(`${json ? JSON.stringify(r) : `${r.at} purge ${r.runId ?? ''}: ${renderPurge(r)}`}\n`), { signal: stop.signal })
        } finally {
          process.off('SIGTERM', onSignal)
          process.off('SIGINT', onSignal)
        }
      })
    })
}
