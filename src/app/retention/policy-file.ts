import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DialwardError } from '../../core/errors.js'
import { applyPolicyDocument, DEFAULT_POLICY, describePolicy, type RetentionPolicy } from '../../core/retention/policy.js'
import { canonicalJson } from '../../core/retention/receipt.js'

/** The effective policy, where it came from, and its digest (named in receipts). */
export interface LoadedPolicy {
  readonly policy: RetentionPolicy
  readonly source: string
  readonly sha256: string
}

/**
 * Loads the operator's retention policy: `--policy FILE`, else `DATA/retention-policy.json` when
 * present, else the defaults. A file that would put a ceiling below a legal floor is refused whole
 * (`RETENTION_POLICY_INVALID`; an unreadable file names the field `policy`).
 */
export function loadRetentionPolicy(dataDir: string, explicit: string | null): LoadedPolicy {
  const path = explicit ?? join(dataDir, 'retention-policy.json')
  let policy = DEFAULT_POLICY
  let source = 'defaults'
  if (explicit !== null || existsSync(path)) {
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch {
      throw new DialwardError('RETENTION_POLICY_INVALID', `cannot read ${path}`, 'policy')
    }
    let doc: unknown
    try {
      doc = JSON.parse(text)
    } catch {
      throw new DialwardError('RETENTION_POLICY_INVALID', `retention policy ${path}: not valid JSON`)
    }
    policy = applyPolicyDocument(doc)
    source = path
  }
  const sha256 = createHash('sha256').update(canonicalJson(describePolicy(policy))).digest('hex')
  return { policy, source, sha256 }
}
