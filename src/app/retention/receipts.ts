import { createHash } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomic } from '../../crypto/atomic-file.js'
import { publicKeyFingerprint, publicKeyOf, sha256, sign } from '../../crypto/signing.js'
import { inclusionProof } from '../../core/audit/merkle.js'
import { toHex } from '../../core/audit/bytes.js'
import { DialwardError } from '../../core/errors.js'
import { RECEIPT_FORMAT, receiptSigningBytes } from '../../core/retention/receipt.js'
import { checkpointView } from '../audit/checkpoints.js'
import { signCheckpoint } from '../../jobs/checkpoint-signer.js'
import type { RetentionDeps } from './deps.js'
import type { BackupExposure } from './backup-exposure.js'

/** What a receipt says happened (everything but the audit proof and the signature). */
export interface ReceiptContent {
  readonly kind: 'retention-purge' | 'erasure' | 'export'
  readonly runId: string
  readonly asOf: string
  readonly subject: string | null
  readonly policySha256: string
  readonly records: ReadonlyArray<{ class: string; records: number }>
  readonly keysDestroyed: readonly string[]
  readonly suppressionEntriesAdded: number
  readonly method: Record<string, string | boolean | number>
  readonly kept: ReadonlyArray<{ class: string; records: number; why: string }>
  /** The KEKs copies of the destroyed data keys in older backups are wrapped under: the erase is complete once they are pruned. */
  readonly backups: BackupExposure
}

/** The directory receipts are written to (`DATA/receipts`, mode 0700). */
export function receiptsDir(dataDir: string): string {
  const dir = join(dataDir, 'receipts')
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  return dir
}

/**
 * Writes the signed receipt of a run: signs a checkpoint of the audit log covering the run's audit
 * entry, embeds the entry's leaf hash and inclusion proof against that checkpoint, the signer's
 * public key, and an Ed25519 signature over the canonical bytes. The file (`DATA/receipts/<id>.json`,
 * mode 0600) is written atomically; rewriting it after a crash yields an equally valid receipt.
 * Returns the path, the receipt and the SHA-256 of the file's bytes.
 */
export async function writeReceipt(d: RetentionDeps, content: ReceiptContent, auditSeq: number, now: number): Promise<{ path: string; receipt: Record<string, unknown>; sha256: string }> {
  const checkpoint = await signCheckpoint(d, now)
  if (!checkpoint || checkpoint.size <= auditSeq) throw new DialwardError('INTERNAL', `no audit checkpoint covers the entry of run ${content.runId}`)
  const leaves = await d.repos.auditLog.leafHashes(d.store.db)
  const proof = inclusionProof(sha256, leaves, auditSeq, checkpoint.size).map(toHex)
  const spki = publicKeyOf(d.keyring)
  const body: Record<string, unknown> = {
    format: RECEIPT_FORMAT,
    id: receiptId(content.runId),
    ...content,
    keysDestroyed: { count: content.keysDestroyed.length, ids: [...content.keysDestroyed] },
    backups: { keks: [...content.backups.keks], statement: content.backups.statement },
    completedAt: new Date(now).toISOString(),
    audit: {
      seq: auditSeq,
      leafHash: toHex(leaves[auditSeq]!),
      inclusionProof: proof,
      checkpoint: checkpointView(checkpoint),
    },
    signer: {
      alg: 'Ed25519',
      keyId: d.keyring.signingKeyId,
      publicKey: spki.toString('base64'),
      publicKeySha256: publicKeyFingerprint(spki),
    },
  }
  const receipt = { ...body, signature: sign(d.keyring, receiptSigningBytes(body)).toString('base64') }
  const path = join(receiptsDir(d.config.dataDir), `${receiptId(content.runId)}.json`)
  const text = `${JSON.stringify(receipt, null, 2)}\n`
  writeFileAtomic(path, text, { mode: 0o600 })
  return { path, receipt, sha256: createHash('sha256').update(text, 'utf8').digest('hex') }
}

/** The id of a run's receipt. */
export function receiptId(runId: string): string {
  return `rcpt_${runId}`
}
