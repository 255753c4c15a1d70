import { describePolicy } from '../../core/retention/policy.js'
import type { App } from '../open-app.js'
import { policyFor } from './retention-run.js'

/** `retention policy`: the effective policy table, where it came from and its digest. */
export function retentionPolicy(app: App, input: { [flag: string]: unknown; policy?: unknown }): Record<string, unknown> {
  const loaded = policyFor(app, input)
  return { source: loaded.source, sha256: loaded.sha256, classes: describePolicy(loaded.policy) }
}
