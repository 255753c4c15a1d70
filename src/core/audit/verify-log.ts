/**
 * Verifies a whole audit log against its signed checkpoints, in one streaming pass with O(log n)
 * memory (entries may come from a database cursor).
 *
 * What it proves: every entry's stored leaf hash matches its canonical bytes; seqs run 0, 1, 2 …
 * without gaps, repeats or reordering; every checkpoint is validly signed by the trusted key for the
 * trusted origin; the root recomputed from the entries equals each checkpoint's root at its size
 * (which also makes every checkpoint consistent with the next: both are prefixes of the same
 * recomputed tree, a stronger check than a consistency proof); no checkpoint covers more entries
 * than are present (tail truncation).
 *
 * What it cannot prove: entries after the last checkpoint are covered by nothing signed, so an
 * attacker with write access who rewrites them together with their stored leaf hashes, or removes
 * them, goes unnoticed until the next checkpoint is published. Checkpoints must come from a copy
 * the database cannot change (off-box); a deleted checkpoint cannot be noticed here.
 */
import { bytesEqual } from './bytes.js'
import { auditEntryProblems, canonicalEntryBytes, type AuditEntry } from './audit-entry.js'
import { verifyCheckpoint, type Checkpoint, type CheckpointTrust } from './checkpoint.js'
import type { Hasher } from './hasher.js'
import { leafHash } from './merkle.js'
import { MerkleAccumulator } from './merkle-accumulator.js'

/** An entry as stored, with the leaf hash written when it was appended. */
export interface StoredAuditEntry extends AuditEntry {
  readonly leafHash: Uint8Array
}

/** Stable codes for what `verifyLog` found wrong. */
export const LOG_PROBLEMS = [
  'BAD_CHECKPOINT',
  'CHECKPOINT_FORK',
  'CHECKPOINT_ORDER',
  'BAD_ENTRY',
  'SEQ_ORDER',
  'LEAF_HASH_MISMATCH',
  'ROOT_MISMATCH',
  'TRUNCATED',
] as const

/** One of `LOG_PROBLEMS`. */
export type LogProblem = (typeof LOG_PROBLEMS)[number]

/**
 * The verdict. On success, `size` and `root` describe the whole log and `coveredSize` is the
 * largest checkpointed size (entries at or after it are not yet covered by a signature).
 *
 * On failure, `problem` says what was found in words and `code` is stable. `firstBadSeq` is the
 * first seq that cannot be trusted: every entry before it passed every check. It is exact for a
 * changed entry whose stored hash was left alone, a deleted, moved or duplicated seq, and tail
 * truncation; when an attacker also rewrote stored leaf hashes or seqs, only the checkpoint root
 * shows it, and `firstBadSeq` is the size of the last checkpoint that still matched (the change
 * lies between it and the next checkpoint). It is null when the checkpoints themselves are bad.
 */
export type LogVerification =
  | { readonly ok: true; readonly size: number; readonly root: Uint8Array; readonly coveredSize: number }
  | { readonly ok: false; readonly firstBadSeq: number | null; readonly problem: string; readonly code: LogProblem }

function bad(code: LogProblem, firstBadSeq: number | null, problem: string): LogVerification {
  return { ok: false, firstBadSeq, problem, code }
}

/**
 * Verifies `entries` (in stored order) against signed `checkpoints` (note texts, any order).
 * Never throws for bad data; the first problem by seq is reported.
 */
export function verifyLog(
  h: Hasher,
  entries: Iterable<StoredAuditEntry>,
  checkpoints: readonly string[],
  trust: CheckpointTrust,
): LogVerification {
  const heads: Checkpoint[] = []
  for (const [i, text] of checkpoints.entries()) {
    const v = verifyCheckpoint(text, trust)
    if (!v.ok) return bad('BAD_CHECKPOINT', null, `checkpoint ${i + 1} rejected: ${v.errors.join('; ')}`)
    heads.push(v.value.checkpoint)
  }
  heads.sort((a, b) => a.size - b.size || a.time - b.time)
  for (let i = 1; i < heads.length; i++) {
    const a = heads[i - 1]!
    const b = heads[i]!
    if (a.size === b.size && !bytesEqual(a.root, b.root)) {
      return bad('CHECKPOINT_FORK', null, `two signed checkpoints for size ${a.size} with different roots`)
    }
    if (b.time < a.time) {
      return bad('CHECKPOINT_ORDER', null, `checkpoint for size ${b.size} is dated before the one for size ${a.size}`)
    }
  }

  const acc = new MerkleAccumulator(h)
  let next = 0 // index into heads
  let goodSize = 0 // largest checkpoint size whose root matched
  const checkHeadsAt = (size: number): LogVerification | null => {
    while (next < heads.length && heads[next]!.size === size) {
      const head = heads[next++]!
      if (!bytesEqual(acc.root(), head.root)) {
        return bad(
          'ROOT_MISMATCH',
          goodSize,
          `entries ${goodSize}..${size - 1} do not hash to the root signed for size ${size} (an entry there was altered, inserted, removed or reordered, leaf hash included)`,
        )
      }
      goodSize = size
    }
    return null
  }

  const atZero = checkHeadsAt(0)
  if (atZero) return atZero
  let seq = 0
  for (const entry of entries) {
    const problems = auditEntryProblems(entry)
    if (problems.length > 0) return bad('BAD_ENTRY', seq, `entry at position ${seq} is malformed: ${problems.join('; ')}`)
    if (entry.seq !== seq) {
      return bad('SEQ_ORDER', Math.min(seq, entry.seq), `position ${seq} holds seq ${entry.seq} (a row was deleted, inserted or moved)`)
    }
    const expected = leafHash(h, canonicalEntryBytes(entry))
    if (!(entry.leafHash instanceof Uint8Array) || !bytesEqual(expected, entry.leafHash)) {
      return bad('LEAF_HASH_MISMATCH', seq, `entry ${seq} does not match its stored leaf hash (content changed)`)
    }
    acc.append(expected)
    seq++
    const atSize = checkHeadsAt(seq)
    if (atSize) return atSize
  }
  if (next < heads.length) {
    const head = heads[next]!
    return bad('TRUNCATED', seq, `a checkpoint signed for size ${head.size} covers seq 0..${head.size - 1}, but only ${seq} entries are present (tail deleted)`)
  }
  return { ok: true, size: seq, root: acc.root(), coveredSize: goodSize }
}
