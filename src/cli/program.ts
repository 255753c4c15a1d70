import { Command, Option } from 'commander'
import { addCampaign } from '../app/commands/campaign-add.js'
import { grantConsent, revokeConsent } from '../app/commands/consent.js'
import { addDnc } from '../app/commands/dnc-add.js'
import { importRegistry } from '../app/commands/registry-import.js'
import { recordReassigned } from '../app/commands/reassigned-record.js'
import { recordCall } from '../app/commands/calls-record.js'
import { check } from '../app/commands/check.js'
import { scrub } from '../app/commands/scrub.js'
import { output, runWithApp, type CommonFlags } from './run-command.js'
import { progressReporter } from './progress.js'
import { declareEmergency, endEmergency } from '../app/commands/emergency.js'
import { loadEmergencies } from '../app/gate/emergencies.js'
import { formatInstant } from '../core/time/instant.js'
import { abandonmentReport } from '../app/commands/report-abandonment.js'
import { registerRetentionCommands } from './retention-commands.js'
import { registerAuditCommands } from './audit-commands.js'

type Flags = CommonFlags & Record<string, unknown>

/** Adds the flags every command takes. */
function common(cmd: Command): Command {
  return cmd
    .addOption(new Option('--data <dir>', 'data directory (env DIALWARD_DATA, default ./dialward-data)'))
    .option('--json', 'print one JSON document on stdout')
}

/** Builds the command-line program (the contract in docs/reference/cli.md). */
export function buildProgram(): Command {
  const program = new Command('dialward')
    .description('Compliance and data-retention engine for auto dialers: consent, do-not-call, pre-dial gate, scrubbing.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s.startsWith('error: ') ? `dialward: ${s.slice(7)}` : s) })

  common(program.command('init').description('create the data directory, keyring (mode 0600) and database')).action((f: Flags) =>
    runWithApp(f, 'create', async (app) => {
      output(f, { dataDir: app.config.dataDir, keyring: app.config.keyringPath, database: app.dialect }, `initialized ${app.config.dataDir} (${app.dialect})`)
    }),
  )

  const campaign = program.command('campaign').description('campaigns')
  common(
    campaign
      .command('add')
      .description('register a campaign')
      .requiredOption('--id <id>')
      .requiredOption('--seller <name>')
      .requiredOption('--purpose <purpose>', 'marketing|informational')
      .requiredOption('--dialing <mode>', 'autodialed|prerecorded|manual')
      .option('--channel <channel>', 'voice|sms (default voice)'),
  ).action((f: Flags) =>
    runWithApp(f, 'create', async (app) => {
      const r = await addCampaign(app, f)
      output(f, { ...r.campaign, created: r.created }, `${r.created ? 'added' : 'unchanged'} campaign ${r.campaign.id}`)
    }),
  )

  const consent = program.command('consent').description('the consent ledger')
  common(
    consent
      .command('grant')
      .description('record a grant of consent (or an established business relationship)')
      .requiredOption('--phone <phone>')
      .requiredOption('--seller <name>')
      .requiredOption('--kind <kind>', 'written|express|ebr-purchase|ebr-inquiry')
      .requiredOption('--at <instant>')
      .option('--channel <channel>', 'voice|sms|any (default any)')
      .option('--disclosure <text>', 'the exact disclosure text shown')
      .option('--source <text>', 'where consent was captured (page URL, form, script)')
      .option('--ip <ip>')
      .option('--user-agent <ua>'),
  ).action((f: Flags) =>
    runWithApp(f, 'create', async (app) => {
      const r = await grantConsent(app, f)
      output(f, r, `recorded consent grant ${String(r['id'])}`)
    }),
  )
  common(
    consent
      .command('revoke')
      .description('record a revocation (also a do-not-call request); without --seller it covers every seller')
      .requiredOption('--phone <phone>')
      .requiredOption('--at <instant>')
      .option('--seller <name>')
      .option('--via <channel>', 'sms|voice|email|web|agent|mail')
      .option('--words <text>', "the consumer's words"),
  ).action((f: Flags) =>
    runWithApp(f, 'create', async (app) => {
      const r = await revokeConsent(app, f)
      output(f, r, `recorded revocation ${String(r['id'])}`)
    }),
  )

  const dnc = program.command('dnc').description('company-specific do-not-call list')
  common(
    dnc
      .command('add')
      .description('record a do-not-call request; without --seller it covers every seller')
      .requiredOption('--phone <phone>')
      .requiredOption('--at <instant>')
      .option('--seller <name>')
      .option('--source <text>'),
  ).action((f: Flags) =>
    runWithApp(f, 'create', async (app) => {
      const r = await addDnc(app, f)
      output(f, r, `recorded do-not-call entry ${String(r['id'])}`)
    }),
  )

  const registry = program.command('registry').description('national and state do-not-call registries')
  common(
    registry
      .command('import')
      .description('import a registry file as a new version')
      .requiredOption('--registry <id>', 'us-national|us-state-XX|ca-national|uk-tps')
      .requiredOption('--file <path>')
      .requiredOption('--as-of <date>')
      .option('--skip-invalid', 'skip and count malformed lines instead of refusing the file'),
  ).action((f: Flags) =>
    runWithApp(f, 'create', async (app) => {
      const r = await importRegistry(app, f)
      output(f, r, `imported ${String(r['registry'])} as of ${String(r['asOf'])}: ${String(r['numbers'])} numbers (version ${String(r['id'])})`)
    }),
  )

  const reassigned = program.command('reassigned').description('reassigned-number results')
  common(
    reassigned
      .command('record')
      .description('record a Reassigned Numbers Database result')
      .requiredOption('--phone <phone>')
      .requiredOption('--date <date>')
      .requiredOption('--result <result>', 'yes|no|no-data')
      .option('--queried-at <instant>'),
  ).action((f: Flags) =>
    runWithApp(f, 'create', async (app) => {
      const r = await recordReassigned(app, f)
      output(f, r, `recorded reassigned-number result ${String(r['id'])}`)
    }),
  )

  const calls = program.command('calls').description('call records')
  common(
    calls
      .command('record')
      .description('record a call attempt')
      .requiredOption('--phone <phone>')
      .requiredOption('--campaign <id>')
      .requiredOption('--at <instant>')
      .requiredOption('--outcome <outcome>', 'answered|abandoned|no-answer|busy|voicemail|failed')
      .option('--duration <seconds>'),
  ).action((f: Flags) =>
    runWithApp(f, 'existing', async (app) => {
      const r = await recordCall(app, f)
      output(f, r, `recorded call ${String(r['id'])}`)
    }),
  )

  common(
    program
      .command('check')
      .description('may this number be called now, for this campaign?')
      .requiredOption('--campaign <id>')
      .requiredOption('--phone <phone>')
      .option('--at <instant>')
      .option('--state <code>', "consumer's address state/province")
      .option('--zip <zip>', "consumer's address ZIP code"),
  ).action((f: Flags) =>
    runWithApp(f, 'existing', async (app) => {
      const r = await check(app, f)
      const human =
        r.verdict === 'allow'
          ? `allow ${r.phone}`
          : [`block ${r.phone ?? '(invalid number)'}`, ...r.reasons.map((x) => `  ${x.code}: ${x.message} [${x.rule}]`), ...(r.nextAllowedAt ? [`  next allowed at ${r.nextAllowedAt}`] : [])].join('\n')
      output(f, r, human)
    }),
  )

  common(
    program
      .command('scrub')
      .description('scrub a CSV list: every row with its verdict, reasons and next allowed time')
      .requiredOption('--campaign <id>')
      .requiredOption('--in <path>')
      .requiredOption('--out <path>')
      .option('--at <instant>')
      .option('--phone-column <name>')
      .option('--state-column <name>', "column holding the consumer's address state (like check --state)")
      .option('--zip-column <name>', "column holding the consumer's ZIP code (like check --zip)"),
  ).action((f: Flags) =>
    runWithApp(f, 'existing', async (app) => {
      const progress = progressReporter()
      const s = await scrub(app, f, progress.update)
      progress.done()
      const reasons = Object.entries(s.byReason).map(([k, v]) => `${k}=${v}`).join(' ')
      process.stderr.write(`scrubbed ${s.rows} rows: ${s.allowed} allowed, ${s.blocked} blocked (${reasons || 'no reasons'}), ${s.invalid} invalid\n`)
      if (f.json) output(f, s, '')
    }),
  )
  const report = program.command('report').description('reports')
  common(
    report
      .command('abandonment')
      .description("a campaign's abandonment rate over the last 30 days")
      .requiredOption('--campaign <id>')
      .option('--at <instant>'),
  ).action((f: Flags) =>
    runWithApp(f, 'existing', async (app) => {
      const r = await abandonmentReport(app, f)
      output(f, r, `${String(r['campaign'])}: ${String(r['abandoned'])} abandoned of ${String(r['liveAnswered'])} live-answered (${String(r['ratePercent'])}%, limit ${String(r['limitPercent'])}%)${r['overLimit'] ? ' — OVER LIMIT' : ''}`)
    }),
  )

  const emergency = program.command('emergency').description('declared states of emergency (operator-set; Louisiana bans marketing calls during one)')
  common(
    emergency
      .command('declare')
      .description('declare a state of emergency for a region')
      .requiredOption('--region <code>', 'e.g. US-LA')
      .option('--from <instant>', 'start (default now)')
      .option('--until <instant>', 'end (exclusive); open-ended when omitted')
      .option('--reason <text>'),
  ).action((f: Flags) =>
    runWithApp(f, 'create', async (app) => {
      const d = await declareEmergency(app, f)
      output(f, { ...d, from: formatInstant(d.from), until: d.until === null ? null : formatInstant(d.until) }, `declared emergency for ${d.region}`)
    }),
  )
  common(emergency.command('end').description('end the open emergency of a region').requiredOption('--region <code>').option('--at <instant>')).action((f: Flags) =>
    runWithApp(f, 'existing', async (app) => {
      const d = await endEmergency(app, f)
      output(f, { ...d, from: formatInstant(d.from), until: d.until === null ? null : formatInstant(d.until) }, `ended emergency for ${d.region}`)
    }),
  )
  common(emergency.command('list').description('list declared emergencies')).action((f: Flags) =>
    runWithApp(f, 'existing', async (app) => {
      const all = (await loadEmergencies(app.db)).map((d) => ({ ...d, from: formatInstant(d.from), until: d.until === null ? null : formatInstant(d.until) }))
      output(f, all, all.map((d) => `${d.region} from ${d.from} until ${d.until ?? '(open)'}${d.reason ? ` — ${d.reason}` : ''}`).join('\n') || 'no emergencies declared')
    }),
  )
  registerAuditCommands(program, common)
  registerRetentionCommands(program)
  return program
}
