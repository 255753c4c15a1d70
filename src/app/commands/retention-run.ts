import { optionalInstant, optionalText } from '../input.js'
import type { App } from '../open-app.js'
import { loadRetentionPolicy, type LoadedPolicy } from '../retention/policy-file.js'
import { runPurge, type PurgeResult } from '../retention/purge-run.js'
import type { StepHook } from '../retention/finish-run.js'

export interface RetentionRunInput {
  [flag: string]: unknown
  at?: unknown
  dryRun?: unknown
  policy?: unknown
}

/** Loads the policy named by `--policy` (or the data directory's, or the defaults). */
export function policyFor(app: App, input: { [flag: string]: unknown; policy?: unknown }): LoadedPolicy {
  return loadRetentionPolicy(app.config.dataDir, optionalText('--policy', input.policy, 4_096))
}

/** `retention run`: purges what is past its ceiling and not held (or, with `--dry-run`, says what would go). */
export async function retentionRun(app: App, input: RetentionRunInput, onStep?: StepHook): Promise<PurgeResult> {
  const policy = policyFor(app, input)
  const at = optionalInstant('--at', input.at, app.now())
  return runPurge(app, { at, dryRun: input.dryRun === true, policy, ...(onStep ? { onStep } : {}) })
}
