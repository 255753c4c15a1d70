import { userInfo } from 'node:os'
import { resolve } from 'node:path'
import { DialwardError } from '../core/errors.js'
import type { DatabaseTarget } from '../store/store.js'

/** Typed configuration, resolved once from flags and environment at the edge, then frozen. */
export interface AppConfig {
  readonly dataDir: string
  readonly keyringPath: string
  readonly database: DatabaseTarget
  /** The actor of command-line requests (`DIALWARD_ACTOR`, default `cli:<OS user>`). */
  readonly cliActor: string
  /** Operator rule pack file (`DIALWARD_RULE_PACK`); default `DIR/rule-pack.json` when present. */
  readonly rulePackPath: string
  /** Whether the rule pack path was named explicitly (then it must exist). */
  readonly rulePackRequired: boolean
  /** Data schema file (`DIALWARD_DATA_SCHEMA`): purposes, their kept fields, periods and staleness; default `DIR/data-schema.json` when present. */
  readonly dataSchemaPath: string
  /** Whether the data schema path was named explicitly (then it must exist). */
  readonly dataSchemaRequired: boolean
  /** Where signed audit checkpoints are appended (`DIALWARD_CHECKPOINT_FILE`; default `DIR/audit-checkpoints.jsonl`). */
  readonly checkpointPath: string
  /** Settings of `dialward serve`. */
  readonly server: ServerConfig
  /** Worker threads of a bulk scrub (`DIALWARD_SCRUB_THREADS`, 0–16); `null`: one per core for large inputs. */
  readonly scrubThreads: number | null
}

/** Settings of `dialward serve` (environment; flags override host and port). */
export interface ServerConfig {
  /** `DIALWARD_TRUSTED_PROXIES`: comma-separated addresses or CIDR ranges whose X-Forwarded-For is honored. */
  readonly trustedProxies: readonly string[]
  /** `DIALWARD_SMS_WEBHOOK_SECRET`: the SMS provider's signing secret; when set, unsigned webhook posts are refused. */
  readonly smsWebhookSecret: string | null
  /** `DIALWARD_SMS_WEBHOOK_URL`: the public URL the provider posts to (its signatures cover it). */
  readonly smsWebhookUrl: string | null
  /** `DIALWARD_LOG_LEVEL`: pino level (default info). */
  readonly logLevel: string
  /** `DIALWARD_AUTH_FAILURES_PER_MINUTE`: failed authentications per client address per minute before 429 (default 20). */
  readonly authFailuresPerMinute: number
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']
const PROXY = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:]+)(?:\/\d{1,3})?$|^(?:loopback|linklocal|uniquelocal)$/

/** Where configuration comes from: the `--data` flag and the environment. */
export interface ConfigSources {
  readonly data?: string | undefined
}

/**
 * Resolves configuration: `--data DIR` or `DIALWARD_DATA` (default `./dialward-data`);
 * `DIALWARD_DATABASE_URL=postgres://…` selects PostgreSQL; `DIALWARD_KEYRING` overrides the
 * keyring path (default `DIR/keyring.json`, a file outside the database). Every problem is
 * reported at once, in one `INVALID_INPUT` error.
 */
export function loadConfig(flags: ConfigSources, env: NodeJS.ProcessEnv): AppConfig {
  const problems: string[] = []
  const text = (name: string): string | undefined => {
    const v = env[name]
    if (v === undefined || v === '') return undefined
    if (/[\u0000-\u001f]/.test(v)) problems.push(`${name} contains control characters`)
    return v
  }
  const dataFlag = flags.data
  if (dataFlag !== undefined && (dataFlag === '' || /[\u0000-\u001f]/.test(dataFlag))) problems.push('--data must name a directory')
  const dataDir = resolve(dataFlag || text('DIALWARD_DATA') || 'dialward-data')
  const url = text('DIALWARD_DATABASE_URL')
  let database: DatabaseTarget = { kind: 'sqlite', path: resolve(dataDir, 'dialward.db') }
  if (url !== undefined) {
    if (/^postgres(ql)?:\/\//.test(url)) database = { kind: 'postgres', url }
    else problems.push('DIALWARD_DATABASE_URL must start with postgres:// or postgresql://')
  }
  const keyringPath = resolve(text('DIALWARD_KEYRING') ?? resolve(dataDir, 'keyring.json'))
  const cliActor = text('DIALWARD_ACTOR') ?? `cli:${text('USER') ?? systemUser()}`
  if (cliActor.length > 200) problems.push('DIALWARD_ACTOR is longer than 200 characters')
  const namedPack = text('DIALWARD_RULE_PACK')
  const rulePackPath = namedPack ? resolve(namedPack) : resolve(dataDir, 'rule-pack.json')
  const namedSchema = text('DIALWARD_DATA_SCHEMA')
  const dataSchemaPath = namedSchema ? resolve(namedSchema) : resolve(dataDir, 'data-schema.json')
  const checkpointPath = resolve(text('DIALWARD_CHECKPOINT_FILE') ?? resolve(dataDir, 'audit-checkpoints.jsonl'))
  const trustedProxies = (text('DIALWARD_TRUSTED_PROXIES') ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '')
  for (const p of trustedProxies) if (!PROXY.test(p)) problems.push(`DIALWARD_TRUSTED_PROXIES: "${p}" is not an address, a CIDR range or loopback/linklocal/uniquelocal`)
  const smsWebhookSecret = text('DIALWARD_SMS_WEBHOOK_SECRET') ?? null
  if (smsWebhookSecret !== null && smsWebhookSecret.length < 16) problems.push('DIALWARD_SMS_WEBHOOK_SECRET must be at least 16 characters')
  const smsWebhookUrl = text('DIALWARD_SMS_WEBHOOK_URL') ?? null
  if (smsWebhookUrl !== null && !/^https?:\/\//.test(smsWebhookUrl)) problems.push('DIALWARD_SMS_WEBHOOK_URL must be an http(s) URL')
  const logLevel = text('DIALWARD_LOG_LEVEL') ?? 'info'
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`DIALWARD_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`)
  const failures = text('DIALWARD_AUTH_FAILURES_PER_MINUTE') ?? '20'
  if (!/^\d{1,7}$/.test(failures) || Number(failures) < 1) problems.push('DIALWARD_AUTH_FAILURES_PER_MINUTE must be a whole number of at least 1')
  const threads = text('DIALWARD_SCRUB_THREADS')
  if (threads !== undefined && !(/^\d{1,2}$/.test(threads) && Number(threads) <= 16)) problems.push('DIALWARD_SCRUB_THREADS must be a whole number from 0 to 16')
  const scrubThreads = threads === undefined ? null : Number(threads)
  if (problems.length > 0) throw new DialwardError('INVALID_INPUT', problems.join('; '), 'configuration')
  const server: ServerConfig = Object.freeze({ trustedProxies: Object.freeze(trustedProxies), smsWebhookSecret, smsWebhookUrl, logLevel, authFailuresPerMinute: Number(failures) })
  return Object.freeze({ dataDir, keyringPath, database, cliActor, rulePackPath, rulePackRequired: namedPack !== undefined, dataSchemaPath, dataSchemaRequired: namedSchema !== undefined, checkpointPath, server, scrubThreads })
}

/** The operating-system account running the command, for the audit log's actor. */
function systemUser(): string {
  try {
    return userInfo().username
  } catch {
    return 'unknown'
  }
}
