import type { Command } from 'commander'
import { CONSENT_CHANNELS, CONSENT_KINDS, REVOCATION_VIA } from '../../core/consent/consent-event.js'
import { maybeInstant, oneOf, optionalIp, optionalName, optionalOneOf, optionalText, requirePhone, requireText } from '../../app/input.js'
import { emit, withServices } from '../session.js'
import { fileRecords, reportImport } from './import-file.js'

interface GrantFlags {
  phone: string
  seller: string
  kind: string
  at?: string
  channel?: string
  disclosure?: string
  source?: string
  ip?: string
  userAgent?: string
  trustedformUrl?: string
  leadidToken?: string
}

interface RevokeFlags {
  phone: string
  at?: string
  seller?: string
  via?: string
  words?: string
}

/** `dialward consent grant|revoke`. */
export function registerConsent(program: Command): void {
  const consent = program.command('consent').description('the consent ledger')
  consent
    .command('grant')
    .description('record a grant of consent (or an established business relationship)')
    .requiredOption('--phone <phone>')
    .requiredOption('--seller <name>')
    .requiredOption('--kind <kind>', 'written|express|ebr-purchase|ebr-inquiry')
    .option('--at <instant>', 'when consent was given (default now)')
    .option('--channel <channel>', 'voice|sms|any (default any)')
    .option('--disclosure <text>', 'the exact disclosure text shown')
    .option('--source <text>', 'where consent was captured (page URL, form, script)')
    .option('--ip <ip>')
    .option('--user-agent <ua>')
    .option('--trustedform-url <url>', 'ActiveProspect TrustedForm certificate URL')
    .option('--leadid-token <token>', 'Jornaya LeadiD token')
    .action((f: GrantFlags, cmd: Command) =>
      withServices(cmd, 'create', async (s, ctx) => {
        const r = await s.consent.grant(ctx, {
          phone: requirePhone('phone', f.phone),
          seller: requireText('seller', f.seller, 200).trim(),
          kind: oneOf('kind', f.kind, CONSENT_KINDS),
          at: maybeInstant('at', f.at),
          channel: optionalOneOf('channel', f.channel, CONSENT_CHANNELS, 'any'),
          disclosure: optionalText('disclosure', f.disclosure, 100_000),
          source: optionalText('source', f.source, 4_000),
          ip: optionalIp('ip', f.ip),
          userAgent: optionalText('userAgent', f.userAgent, 4_000),
          trustedForm: optionalText('trustedformUrl', f.trustedformUrl, 500),
          leadId: optionalText('leadidToken', f.leadidToken, 200),
        })
        emit(cmd, r, `recorded consent grant ${r.id}`)
      }),
    )
  consent
    .command('revoke')
    .description('record a revocation (also a do-not-call request); without --seller it covers every seller')
    .requiredOption('--phone <phone>')
    .option('--at <instant>', 'when consent was revoked (default now)')
    .option('--seller <name>')
    .option('--via <channel>', 'sms|voice|email|web|agent|mail')
    .option('--words <text>', "the consumer's words")
    .action((f: RevokeFlags, cmd: Command) =>
      withServices(cmd, 'create', async (s, ctx) => {
        const r = await s.consent.revoke(ctx, {
          phone: requirePhone('phone', f.phone),
          at: maybeInstant('at', f.at),
          seller: optionalName('seller', f.seller),
          via: f.via === undefined ? null : oneOf('via', f.via, REVOCATION_VIA),
          words: optionalText('words', f.words, 4_000),
        })
        emit(cmd, r, `recorded revocation ${r.id}`)
      }),
    )
  consent
    .command('import')
    .description('import consent grants from a CSV (header: phone, seller, kind, at, channel, disclosure, page_url, ip, user_agent, trustedform_cert_url, leadid_token) or NDJSON file')
    .requiredOption('--file <path>')
    .option('--format <format>', 'csv|ndjson (default from the extension)')
    .option('--strict', 'refuse the whole file when any record is refused')
    .action((f: { file: string; format?: string; strict?: boolean }, cmd: Command) =>
      withServices(cmd, 'create', async (s, ctx) => {
        const { source } = fileRecords(f.file, f.format)
        reportImport(cmd, await s.imports.consents(ctx, source, { strict: f.strict === true }), 'consent import')
      }),
    )
}
