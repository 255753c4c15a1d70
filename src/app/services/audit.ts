import { DialwardError, invalidInput, isError, notFound } from '../../core/errors.js'
import { toHex } from '../../core/audit/bytes.js'
import { verifyConsistency, verifyInclusion } from '../../core/audit/merkle.js'
import { sha256 } from '../../crypto/signing.js'
import type { Keyring } from '../../crypto/keyring.js'
import type { Executor } from '../../store/schema.js'
import type { AuditLogRepo } from '../../store/repos/audit-log.js'
import { checkpointsRepo } from '../../store/repos/checkpoints.js'
import type { RowHeads } from '../../store/repos/row-heads.js'
import { checkpointView, readOrigin } from '../audit/checkpoints.js'
import { tampered, type EntryView, type PublicKeyView, type SignedLog } from '../audit/signed-log.js'
import { verifyAudit, type AuditVerifyReport } from '../audit/verify-audit.js'
import type { RequestContext } from '../context.js'

export type { AuditVerifyReport } from '../audit/verify-audit.js'

/** What to verify the log against: the checkpoints in the database, or the off-machine checkpoint file. */
export interface AuditVerifyInput {
  /** An absolute path to the checkpoint file, or `null` for the database's checkpoints. */
  readonly checkpointFile: string | null
}

/** Which entry to prove, and optionally the earlier checkpoint size to prove consistency from. */
export interface AuditProofInput {
  /** The entry's seq (from 0). */
  readonly entry: number
  readonly from: number | null
}

/** The `audit proof --json` document. */
export interface AuditProof {
  readonly entry: EntryView & { readonly atIso: string }
  readonly checkpoint: { readonly size: number; readonly root: string; readonly time: string; readonly note: string }
  readonly inclusionProof: readonly string[]
  readonly consistency: { readonly fromSize: number; readonly fromRoot: string; readonly proof: readonly string[] } | null
  readonly log: { readonly origin: string } & PublicKeyView
}

/** The latest signed checkpoint and the key that signs checkpoints (what a verifier pins). */
export interface LatestCheckpoint {
  /** `null` before the first checkpoint is signed. */
  readonly checkpoint: { readonly size: number; readonly root: string; readonly time: string; readonly note: string } | null
  /** The log's origin line (`dialward/audit/<id>`), `null` before the first checkpoint. */
  readonly origin: string | null
  /** The Ed25519 public key (base64) and its fingerprint: SHA-256 of the SPKI DER, hex. */
  readonly publicKey: string
  readonly publicKeySha256: string
}

/** What the audit service is built from. */
export interface AuditServiceDeps {
  readonly db: Executor
  readonly auditLog: AuditLogRepo
  readonly keyring: Keyring
  readonly log: SignedLog
  readonly heads: RowHeads
  /** Throws `STORE_ROLLED_BACK` when the database is behind the data directory's checkpoint file. */
  readonly requireNotRolledBack: () => Promise<void>
}

/** The tamper-evident audit log: full verification and RFC 9162 proofs. Reads only (a proof may sign a due checkpoint). */
export class AuditService {
  readonly #d: AuditServiceDeps

  constructor(deps: AuditServiceDeps) {
    this.#d = deps
  }

  /**
   * Recomputes the whole audit log (every leaf hash from its entry, the Merkle tree, each signed
   * checkpoint's root, signature and consistency with the next) against the checkpoints in the
   * database, or in the checkpoint file when given; against the database's checkpoints, an
   * intact database must also not be behind the data directory's checkpoint file (`ROLLED_BACK`:
   * restored from an older copy, or truncated together with its checkpoints). Never throws for
   * tampering: the report says what was found and names the first entry that cannot be trusted
   * (see {@link tamperError}).
   */
  async verify(_ctx: RequestContext, input: AuditVerifyInput): Promise<AuditVerifyReport> {
    const { db, auditLog, keyring, log, heads } = this.#d
    const report = await verifyAudit({ db, auditLog, keyring, heads, trust: () => log.trust() }, input.checkpointFile)
    if (!report.ok || input.checkpointFile !== null) return report
    try {
      await this.#d.requireNotRolledBack()
    } catch (err) {
      if (!isError(err, 'STORE_ROLLED_BACK')) throw err
      return { ok: false, entries: report.entries, checkpointSource: report.checkpointSource, checkpointFile: null, code: 'ROLLED_BACK', firstBadSeq: null, problem: err.message }
    }
    return report
  }

  /** The latest signed checkpoint as stored (not re-verified: `verify` does that) and the signing key's fingerprint. */
  async latestCheckpoint(_ctx: RequestContext): Promise<LatestCheckpoint> {
    const { db, log } = this.#d
    const cp = await checkpointsRepo.latest(db)
    return { checkpoint: cp ? checkpointView(cp) : null, origin: await readOrigin(db), ...log.publicKey }
  }

  /**
   * An RFC 9162 inclusion proof of one entry against the latest signed checkpoint (a fresh
   * checkpoint is signed first when the entry is newer than the latest one), and optionally a
   * consistency proof from the earlier checkpoint of size `from`.
   */
  async proof(_ctx: RequestContext, input: AuditProofInput): Promise<AuditProof> {
    const { db, auditLog, log } = this.#d
    const seq = input.entry
    const count = await auditLog.size(db)
    if (seq >= count) throw notFound('entry', `no entry ${seq} (the log has ${count} entries, numbered from 0)`)
    const { tree, checkpoint, head, origin } = await log.checkedTree(seq + 1)
    const entry = (await log.entries([seq])).get(seq)
    if (!entry) throw tampered(`audit entry ${seq} is missing`)
    const proof = tree.inclusionProof(seq, checkpoint.size)
    if (!verifyInclusion(sha256, seq, checkpoint.size, Buffer.from(entry.leafHash, 'hex'), proof, head.root)) throw tampered(`entry ${seq} is not in the signed tree`)
    let consistency: AuditProof['consistency'] = null
    const fromSize = input.from
    if (fromSize !== null) {
      const earlier = (await checkpointsRepo.list(db)).find((c) => c.size === fromSize)
      if (!earlier || fromSize === 0 || fromSize > checkpoint.size) throw invalidInput('from', `no signed checkpoint of size ${fromSize} at or before size ${checkpoint.size}`)
      const cproof = tree.consistencyProof(fromSize, checkpoint.size)
      if (!verifyConsistency(sha256, fromSize, checkpoint.size, Buffer.from(earlier.rootHex, 'hex'), head.root, cproof)) throw tampered(`checkpoints ${fromSize} and ${checkpoint.size} are not consistent`)
      consistency = { fromSize, fromRoot: earlier.rootHex, proof: cproof.map(toHex) }
    }
    return {
      entry: { ...entry, atIso: new Date(entry.at).toISOString() },
      checkpoint: checkpointView(checkpoint),
      inclusionProof: proof.map(toHex),
      consistency,
      log: { origin, ...log.publicKey },
    }
  }
}

/** The integrity error `audit verify` exits with (3) when tampering was found, naming the first bad entry. */
export function tamperError(r: Extract<AuditVerifyReport, { ok: false }>): DialwardError {
  const where = r.firstBadSeq === null ? 'checkpoints' : `entry ${r.firstBadSeq}`
  return new DialwardError('AUDIT_TAMPERED', `audit log tampering found at ${where} (${r.code}): ${r.problem}`)
}
