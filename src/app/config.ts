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
  /** Where signed audit checkpoints are appended (`DIALWARD_CHECKPOINT_FILE`; default `DIR/audit-checkpoints.jsonl`). */
  readonly checkpointPath: string
  /** Worker threads of a bulk scrub (`DIALWARD_SCRUB_THREADS`, 0–16); `null`: one per core for large inputs. */
  readonly scrubThreads: number | null
}

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
  const checkpointPath = resolve(text('DIALWARD_CHECKPOINT_FILE') ?? resolve(dataDir, 'audit-checkpoints.jsonl'))
  const threads = text('DIALWARD_SCRUB_THREADS')
  if (threads !== undefined && !(/^\d{1,2}$/.test(threads) && Number(threads) <= 16)) problems.push('DIALWARD_SCRUB_THREADS must be a whole number from 0 to 16')
  const scrubThreads = threads === undefined ? null : Number(threads)
  if (problems.length > 0) throw new DialwardError('INVALID_INPUT', problems.join('; '), 'configuration')
  return Object.freeze({ dataDir, keyringPath, database, cliActor, rulePackPath, rulePackRequired: namedPack !== undefined, checkpointPath, scrubThreads })
}

/** The operating-system account running the command, for the audit log's actor. */
function systemUser(): string {
  try {
    return userInfo().username
  } catch {
    return 'unknown'
  }
}
