import { DialwardError } from '../../core/errors.js'
import { canonicalEntryJson, auditEntryProblems } from '../../core/audit/audit-entry.js'
import { bytesEqual, toHex, utf8 } from '../../core/audit/bytes.js'
import { verifyCheckpoint, type Checkpoint, type CheckpointTrust } from '../../core/audit/checkpoint.js'
import { leafHash } from '../../core/audit/merkle.js'
import { MerkleTree } from '../../core/audit/merkle-tree.js'
import type { StoredAuditEntry } from '../../core/audit/verify-log.js'
import { ed25519PublicKeyBytes, publicKeyFingerprint, publicKeyOf, sha256 } from '../../crypto/signing.js'
import type { Executor } from '../../store/schema.js'
import { storedEntry, type AuditLogRepo } from '../../store/repos/audit-log.js'
import { checkpointsRepo, type StoredCheckpoint } from '../../store/repos/checkpoints.js'
import type { Keyring } from '../../crypto/keyring.js'
import { checkpointTrust, readOrigin } from './checkpoints.js'

/** An audit entry as printed by `audit proof` and shipped in evidence: fields, canonical text, leaf hash. */
export interface EntryView {
  readonly seq: number
  readonly at: number
  readonly actor: string
  readonly action: string
  readonly subject: string | null
  readonly data: StoredAuditEntry['data']
  readonly canonical: string
  readonly leafHash: string
}

/** The signing key as shipped beside proofs: raw Ed25519 key (base64) and its SHA-256 fingerprint (hex). */
export interface PublicKeyView {
  readonly publicKey: string
  readonly publicKeySha256: string
}

/** A tree over the signed prefix of the log, checked against the checkpoint that signs it. */
export interface CheckedTree {
  readonly tree: MerkleTree
  readonly checkpoint: StoredCheckpoint
  readonly head: Checkpoint
  readonly origin: string
}

/** What the signed log reads: the database, the audit log, the keyring's signing key, and the checkpoint job. */
export interface SignedLogDeps {
  readonly db: Executor
  readonly auditLog: AuditLogRepo
  readonly keyring: Keyring
  /** Signs a checkpoint of the whole log now (the checkpoint job, wired by the composition root). */
  readonly signNow: () => Promise<unknown>
}

/**
 * The audit log as proofs see it: the installation's trust (origin and signing key), the Merkle
 * tree of the signed prefix checked against its checkpoints, and entries checked against their
 * leaf hashes. Shared by the audit, evidence and keys services.
 */
export class SignedLog {
  readonly #d: SignedLogDeps
  readonly #publicKey: PublicKeyView

  constructor(deps: SignedLogDeps) {
    this.#d = deps
    const keyring = deps.keyring
    const raw = ed25519PublicKeyBytes(keyring.signingPublicKey())
    this.#publicKey = Object.freeze({ publicKey: Buffer.from(raw).toString('base64'), publicKeySha256: publicKeyFingerprint(publicKeyOf(keyring)) })
  }

  /** The signing key to publish and compare (the one fingerprint, from `crypto/signing.ts`). */
  get publicKey(): PublicKeyView {
    return this.#publicKey
  }

  /** What this installation trusts: its origin and the keyring's signing key (`null` before the first checkpoint). */
  async trust(): Promise<CheckpointTrust | null> {
    const origin = await readOrigin(this.#d.db)
    return origin === null ? null : checkpointTrust(this.#d.keyring, origin)
  }

  /**
   * The latest signed checkpoint covering at least `minSize` entries (signing a fresh one when the
   * newest is older), and the Merkle tree of the stored leaf hashes up to its size. Fails with an
   * integrity error (exit 3) when the stored log no longer matches that checkpoint or an earlier one.
   */
  async checkedTree(minSize: number): Promise<CheckedTree> {
    const db = this.#d.db
    let cps = await checkpointsRepo.list(db)
    if (cps.length === 0 || cps.at(-1)!.size < minSize) {
      await this.#d.signNow()
      cps = await checkpointsRepo.list(db)
    }
    const latest = cps.at(-1)
    const trust = await this.trust()
    if (!latest || !trust) throw new DialwardError('AUDIT_TAMPERED', 'no signed checkpoint covers the audit log')
    const verified = verifyCheckpoint(latest.note, trust)
    if (!verified.ok) throw tampered(`the latest checkpoint does not verify: ${verified.errors.join('; ')}`)
    const hashes = (await this.#d.auditLog.leafHashes(db)).slice(0, latest.size)
    if (hashes.length < latest.size || hashes.some((h) => h.length !== 32)) throw tampered('stored leaf hashes are missing or malformed')
    const tree = new MerkleTree(sha256, hashes)
    for (const cp of cps) {
      if (cp.size > 0 && toHex(tree.root(cp.size)) !== cp.rootHex) throw tampered(`the stored log no longer matches the checkpoint for size ${cp.size}`)
    }
    if (!bytesEqual(tree.root(), verified.value.checkpoint.root)) throw tampered('the stored log no longer matches the latest signed checkpoint')
    return { tree, checkpoint: latest, head: verified.value.checkpoint, origin: trust.origin }
  }

  /** Reads entries by seq, checking each against its stored leaf hash. */
  async entries(seqs: readonly number[]): Promise<Map<number, EntryView>> {
    const out = new Map<number, EntryView>()
    for (const r of await this.#d.auditLog.rows(this.#d.db, [...new Set(seqs)])) {
      const e = storedEntry(r)
      if (auditEntryProblems(e).length > 0) throw tampered(`audit entry ${r.seq} is malformed`)
      const canonical = canonicalEntryJson(e)
      if (!bytesEqual(leafHash(sha256, utf8(canonical)), e.leafHash)) throw tampered(`audit entry ${r.seq} does not match its stored leaf hash`)
      out.set(e.seq, { seq: e.seq, at: e.at, actor: e.actor, action: e.action, subject: e.subject, data: e.data, canonical, leafHash: toHex(e.leafHash) })
    }
    return out
  }
}

/** The integrity error of a log that no longer matches its checkpoints (exit 3). */
export function tampered(problem: string): DialwardError {
  return new DialwardError('AUDIT_TAMPERED', `${problem}; run "dialward audit verify"`)
}
