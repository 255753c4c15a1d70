import type { App } from '../open-app.js'
import { DialwardError, invalidInput, notFound } from '../../core/errors.js'
import { canonicalEntryJson, auditEntryProblems } from '../../core/audit/audit-entry.js'
import { bytesEqual, toHex, utf8 } from '../../core/audit/bytes.js'
import { verifyCheckpoint, type Checkpoint } from '../../core/audit/checkpoint.js'
import { leafHash, verifyConsistency, verifyInclusion } from '../../core/audit/merkle.js'
import { MerkleTree } from '../../core/audit/merkle-tree.js'
import type { StoredAuditEntry } from '../../core/audit/verify-log.js'
import { sha256, ed25519PublicKeyBytes } from '../../crypto/signing.js'
import { checkpointView, type StoredCheckpoint } from './checkpoints.js'
import { checkpointsRepo } from '../../store/repos/checkpoints.js'
import { AuditLogRepo, storedEntry } from '../../store/repos/audit-log.js'
import { signCheckpoint } from '../../jobs/checkpoint-signer.js'
import { publicKeyFingerprint, publicKeyOf } from '../../crypto/signing.js'
import { installationTrust } from './verify-audit.js'

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

/** The `audit proof --json` document. */
export interface AuditProof {
  readonly entry: EntryView & { readonly atIso: string }
  readonly checkpoint: { readonly size: number; readonly root: string; readonly time: string; readonly note: string }
  readonly inclusionProof: readonly string[]
  readonly consistency: { readonly fromSize: number; readonly fromRoot: string; readonly proof: readonly string[] } | null
  readonly log: { readonly origin: string; readonly publicKey: string; readonly publicKeySha256: string }
}

/** A tree over the signed prefix of the log, checked against the checkpoint that signs it. */
export interface CheckedTree {
  readonly tree: MerkleTree
  readonly checkpoint: StoredCheckpoint
  readonly head: Checkpoint
  readonly origin: string
}

/**
 * The latest signed checkpoint covering at least `minSize` entries (signing a fresh one when the
 * newest is older), and the Merkle tree of the stored leaf hashes up to its size. Fails with an
 * integrity error (exit 3) when the stored log no longer matches that checkpoint or an earlier one.
 */
export async function checkedTree(app: App, minSize: number): Promise<CheckedTree> {
  let cps = await checkpointsRepo.list(app.db)
  if (cps.length === 0 || cps.at(-1)!.size < minSize) {
    await signCheckpoint(app, app.now())
    cps = await checkpointsRepo.list(app.db)
  }
  const latest = cps.at(-1)
  const trust = await installationTrust(app)
  if (!latest || !trust) throw new DialwardError('AUDIT_TAMPERED', 'no signed checkpoint covers the audit log')
  const verified = verifyCheckpoint(latest.note, trust)
  if (!verified.ok) throw tampered(`the latest checkpoint does not verify: ${verified.errors.join('; ')}`)
  const hashes = (await new AuditLogRepo(app.dialect).leafHashes(app.db)).slice(0, latest.size)
  if (hashes.length < latest.size || hashes.some((h) => h.length !== 32)) throw tampered('stored leaf hashes are missing or malformed')
  const tree = new MerkleTree(sha256, hashes)
  for (const cp of cps) {
    if (cp.size > 0 && toHex(tree.root(cp.size)) !== cp.rootHex) throw tampered(`the stored log no longer matches the checkpoint for size ${cp.size}`)
  }
  if (!bytesEqual(tree.root(), verified.value.checkpoint.root)) throw tampered('the stored log no longer matches the latest signed checkpoint')
  return { tree, checkpoint: latest, head: verified.value.checkpoint, origin: trust.origin }
}

/** Reads entries by seq, checking each against its stored leaf hash. */
export async function entriesBySeq(app: App, seqs: readonly number[]): Promise<Map<number, EntryView>> {
  const out = new Map<number, EntryView>()
  const wanted = [...new Set(seqs)]
  for (let i = 0; i < wanted.length; i += 500) {
    const rows = await app.db.selectFrom('audit_log').selectAll().where('seq', 'in', wanted.slice(i, i + 500)).execute()
    for (const r of rows) {
      const e = storedEntry(r)
      if (auditEntryProblems(e).length > 0) throw tampered(`audit entry ${r.seq} is malformed`)
      const canonical = canonicalEntryJson(e)
      if (!bytesEqual(leafHash(sha256, utf8(canonical)), e.leafHash)) throw tampered(`audit entry ${r.seq} does not match its stored leaf hash`)
      out.set(e.seq, { seq: e.seq, at: e.at, actor: e.actor, action: e.action, subject: e.subject, data: e.data, canonical, leafHash: toHex(e.leafHash) })
    }
  }
  return out
}

/** The signing key as shipped beside proofs: raw Ed25519 key (base64) and its SHA-256 (hex). */
export function publicKeyView(app: App): { publicKey: string; publicKeySha256: string } {
  const raw = ed25519PublicKeyBytes(app.keyring.signingPublicKey())
  return { publicKey: Buffer.from(raw).toString('base64'), publicKeySha256: publicKeyFingerprint(publicKeyOf(app.keyring)) }
}

/**
 * An RFC 9162 inclusion proof of entry `seq` against the latest signed checkpoint (a fresh
 * checkpoint is signed first when the entry is newer than the latest one), and optionally a
 * consistency proof from the earlier checkpoint of size `fromSize`.
 */
export async function auditProof(app: App, seq: number, fromSize: number | null): Promise<AuditProof> {
  const count = await new AuditLogRepo(app.dialect).size(app.db)
  if (seq >= count) throw notFound('--entry', `no entry ${seq} (the log has ${count} entries, numbered from 0)`)
  const { tree, checkpoint, head, origin } = await checkedTree(app, seq + 1)
  const entry = (await entriesBySeq(app, [seq])).get(seq)
  if (!entry) throw tampered(`audit entry ${seq} is missing`)
  const proof = tree.inclusionProof(seq, checkpoint.size)
  if (!verifyInclusion(sha256, seq, checkpoint.size, Buffer.from(entry.leafHash, 'hex'), proof, head.root)) throw tampered(`entry ${seq} is not in the signed tree`)
  let consistency: AuditProof['consistency'] = null
  if (fromSize !== null) {
    const earlier = (await checkpointsRepo.list(app.db)).find((c) => c.size === fromSize)
    if (!earlier || fromSize === 0 || fromSize > checkpoint.size) throw invalidInput('--from', `no signed checkpoint of size ${fromSize} at or before size ${checkpoint.size}`)
    const cproof = tree.consistencyProof(fromSize, checkpoint.size)
    if (!verifyConsistency(sha256, fromSize, checkpoint.size, Buffer.from(earlier.rootHex, 'hex'), head.root, cproof)) throw tampered(`checkpoints ${fromSize} and ${checkpoint.size} are not consistent`)
    consistency = { fromSize, fromRoot: earlier.rootHex, proof: cproof.map(toHex) }
  }
  return {
    entry: { ...entry, atIso: new Date(entry.at).toISOString() },
    checkpoint: checkpointView(checkpoint),
    inclusionProof: proof.map(toHex),
    consistency,
    log: { origin, ...publicKeyView(app) },
  }
}

function tampered(problem: string): DialwardError {
  return new DialwardError('AUDIT_TAMPERED', `${problem}; run "dialward audit verify"`)
}
