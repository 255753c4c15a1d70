import { userInfo } from 'node:os'
import { resolve } from 'node:path'
import { invalidInput } from '../core/errors.js'
import type { DatabaseTarget } from '../store/open-database.js'

/** Typed configuration, resolved once from flags and environment at the edge. */
export interface AppConfig {
  readonly dataDir: string
  readonly keyringPath: string
  readonly database: DatabaseTarget
  readonly actor: string
  /** Operator rule pack file (`DIALWARD_RULE_PACK`); default `DIR/rule-pack.json` when present. */
  readonly rulePackPath: string | null
  /** Where signed audit checkpoints are appended (`DIALWARD_CHECKPOINT_FILE`; default `DIR/audit-checkpoints.jsonl`). */
  readonly checkpointPath: string
}

/**
 * Resolves configuration: `--data DIR` or `DIALWARD_DATA` (default `./dialward-data`);
 * `DIALWARD_DATABASE_URL=postgres://…` selects PostgreSQL; `DIALWARD_KEYRING` overrides the
 * keyring path (default `DIR/keyring.json`, a file outside the database).
 */
export function resolveConfig(flags: { data?: string | undefined }, env: NodeJS.ProcessEnv): AppConfig {
  const dataDir = resolve(flags.data ?? env['DIALWARD_DATA'] ?? 'dialward-data')
  const url = env['DIALWARD_DATABASE_URL']
  let database: DatabaseTarget
  if (url !== undefined && url !== '') {
    if (!/^postgres(ql)?:\/\//.test(url)) throw invalidInput('DIALWARD_DATABASE_URL', 'must start with postgres:// or postgresql://')
    database = { kind: 'postgres', url }
  } else {
    database = { kind: 'sqlite', path: resolve(dataDir, 'dialward.db') }
  }
  const keyringPath = resolve(env['DIALWARD_KEYRING'] ?? resolve(dataDir, 'keyring.json'))
  const actor = env['DIALWARD_ACTOR'] ?? `cli:${env['USER'] ?? systemUser()}`
  const rulePackPath = env['DIALWARD_RULE_PACK'] ? resolve(env['DIALWARD_RULE_PACK']) : null
  const checkpointPath = resolve(env['DIALWARD_CHECKPOINT_FILE'] ?? resolve(dataDir, 'audit-checkpoints.jsonl'))
  return Object.freeze({ dataDir, keyringPath, database, actor, rulePackPath, checkpointPath })
}

/** The operating-system account running the command, for the audit log's actor. */
function systemUser(): string {
  try {
    return userInfo().username
  } catch {
    return 'unknown'
  }
}
