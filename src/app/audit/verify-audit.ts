import { verifyLog, type LogProblem } from '../../core/audit/verify-log.js'
import { parseCheckpoint, type CheckpointTrust } from '../../core/audit/checkpoint.js'
import { verifyConsistency } from '../../core/audit/merkle.js'
import { MerkleTree } from '../../core/audit/merkle-tree.js'
import { toHex } from '../../core/audit/bytes.js'
import { sha256 } from '../../crypto/signing.js'
import type { Keyring } from '../../crypto/keyring.js'
import type { Executor } from '../../store/schema.js'
import type { AuditLogRepo } from '../../store/repos/audit-log.js'
import { checkpointsRepo } from '../../store/repos/checkpoints.js'
import { checkpointTrust } from './checkpoints.js'
import { readCheckpointFile } from './checkpoint-file.js'
import type { RowHeads } from '../../store/repos/row-heads.js'
import { verifyCoverage, type CoverageProblem, type CoverageReport } from './verify-coverage.js'

/** The `audit verify --json` document. */
export type AuditVerifyReport =
  | {
      readonly ok: true
      readonly entries: number
      readonly root: string
      readonly checkpointSource: 'database' | 'file'
      readonly checkpointFile: string | null
      readonly checkpoints: number
      readonly consistencyProofsChecked: number
      readonly latestCheckpoint: { readonly size: number; readonly root: string; readonly time: string } | null
      /** Entries after the latest checkpoint: intact as stored, but not yet covered by a signature. */
      readonly uncovered: number
      /** The data the log covers: every covered row matched both ways (ADR 0011). */
      readonly data: Omit<Extract<CoverageReport, { ok: true }>, 'ok'>
    }
  | {
      readonly ok: false
      readonly entries: number
      readonly checkpointSource: 'database' | 'file'
      readonly checkpointFile: string | null
      /** `ROLLED_BACK`: the database is behind the data directory's checkpoint file (see `rollback-guard.ts`). */
      readonly code: LogProblem | 'CHECKPOINT_MISMATCH' | 'NO_ORIGIN' | CoverageProblem | 'ROLLED_BACK'
      readonly firstBadSeq: number | null
      readonly problem: string
    }

/** What a verification reads: the database, its audit log, the installation's trust and the keyring. */
export interface VerifyAuditDeps {
  readonly db: Executor
  readonly auditLog: AuditLogRepo
  readonly keyring: Keyring
  readonly trust: () => Promise<CheckpointTrust | null>
  readonly heads: RowHeads
}

/**
 * Recomputes the whole audit log (every leaf hash from its entry, the Merkle tree, each signed
 * checkpoint's root, signature and consistency with the next) against the checkpoints in the
 * database, or in `checkpointFile` (the off-machine copy) when given. Never throws for tampering:
 * the report says what was found and names the first entry that cannot be trusted.
 */
export async function verifyAudit(deps: VerifyAuditDeps, checkpointFile: string | null): Promise<AuditVerifyReport> {
  const source = checkpointFile === null ? 'database' : 'file'
  const base = { checkpointSource: source, checkpointFile } as const
  const notes: string[] = []
  if (checkpointFile !== null) {
    for (const line of readCheckpointFile(checkpointFile)) notes.push(line.note)
  } else {
    for (const cp of await checkpointsRepo.list(deps.db)) {
      const parsed = parseCheckpoint(cp.note)
      const head = parsed.ok ? parsed.value.checkpoint : null
      if (!head || head.size !== cp.size || toHex(head.root) !== cp.rootHex || head.time !== cp.time) {
        return { ok: false, entries: 0, ...base, code: 'CHECKPOINT_MISMATCH', firstBadSeq: null, problem: `stored checkpoint for size ${cp.size}: its columns differ from its signed note` }
      }
      notes.push(cp.note)
    }
  }
  const entries = await deps.auditLog.entries(deps.db)
  const trust = await deps.trust()
  if (trust === null && notes.length > 0) {
    return { ok: false, entries: entries.length, ...base, code: 'NO_ORIGIN', firstBadSeq: null, problem: 'the database lost its audit origin (settings audit.origin) although checkpoints exist' }
  }
  const verdict = verifyLog(sha256, entries, notes, trust ?? checkpointTrust(deps.keyring, 'dialward/audit/none'))
  if (!verdict.ok) return { ok: false, entries: entries.length, ...base, code: verdict.code, firstBadSeq: verdict.firstBadSeq, problem: verdict.problem }

  // verifyLog already matched every checkpoint root against the recomputed tree; check the
  // RFC 9162 consistency proof between each pair of successive checkpoints explicitly as well.
  const heads = notes
    .map((n) => parseCheckpoint(n))
    .flatMap((p) => (p.ok ? [p.value.checkpoint] : []))
    .sort((a, b) => a.size - b.size)
  const tree = new MerkleTree(sha256, entries.map((e) => e.leafHash))
  let proofs = 0
  for (let i = 1; i < heads.length; i++) {
    const a = heads[i - 1]!
    const b = heads[i]!
    if (a.size === 0 || a.size === b.size) continue
    if (!verifyConsistency(sha256, a.size, b.size, a.root, b.root, tree.consistencyProof(a.size, b.size))) {
      return { ok: false, entries: entries.length, ...base, code: 'CHECKPOINT_FORK', firstBadSeq: a.size, problem: `checkpoints for sizes ${a.size} and ${b.size} are not consistent` }
    }
    proofs++
  }
  const latest = heads.at(-1) ?? null
  const coverage = await verifyCoverage(deps.db, entries, deps.heads)
  if (!coverage.ok) return { ok: false, entries: entries.length, ...base, code: coverage.code, firstBadSeq: coverage.firstBadSeq, problem: coverage.problem }
  const { ok: _ok, ...data } = coverage
  return {
    ok: true,
    entries: verdict.size,
    root: toHex(verdict.root),
    ...base,
    checkpoints: heads.length,
    consistencyProofsChecked: proofs,
    latestCheckpoint: latest ? { size: latest.size, root: toHex(latest.root), time: new Date(latest.time).toISOString() } : null,
    uncovered: verdict.size - verdict.coveredSize,
    data,
  }
}
