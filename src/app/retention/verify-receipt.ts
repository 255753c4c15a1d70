import { createPublicKey } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { publicKeyFingerprint, verify } from '../../crypto/signing.js'
import { fromHex, toHex } from '../../core/audit/bytes.js'
import { noteKeyId, verifyCheckpoint } from '../../core/audit/checkpoint.js'
import { verifyInclusion } from '../../core/audit/merkle.js'
import { RECEIPT_FORMAT, receiptSigningBytes } from '../../core/retention/receipt.js'
import { ed25519PublicKeyBytes, ed25519Verifier, sha256 } from '../../crypto/signing.js'
import { invalidInput } from '../../core/errors.js'

/** The outcome of checking a receipt offline. */
export interface ReceiptVerification {
  readonly valid: boolean
  readonly problems: string[]
  readonly id: string | null
  readonly kind: string | null
  /** SHA-256 of the embedded public key (SPKI DER): compare it with the key you trust. */
  readonly publicKeySha256: string | null
  readonly auditSeq: number | null
  readonly checkpointSize: number | null
  /** The KEKs the receipt says copies of the destroyed data keys in older backups are wrapped under (the erase is complete once they are pruned; `keys list` shows whether they are); `null` for a receipt written before ADR 0014. */
  readonly backupKeks: readonly string[] | null
}

/**
 * Verifies a receipt file without a data directory: the Ed25519 signature over its canonical
 * bytes with the embedded public key, the embedded audit checkpoint's signature with the same key,
 * and the inclusion proof of the run's audit entry in that checkpoint. Says nothing about whether
 * the embedded key is the one you trust: compare `publicKeySha256` with it.
 */
export function verifyReceiptFile(path: string): ReceiptVerification {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    throw invalidInput('FILE', `cannot read ${path}`)
  }
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    throw invalidInput('FILE', 'is not JSON')
  }
  return verifyReceipt(doc)
}

/** Verifies a parsed receipt (see {@link verifyReceiptFile}). */
export function verifyReceipt(doc: unknown): ReceiptVerification {
  const problems: string[] = []
  const r = (typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? doc : {}) as Record<string, unknown>
  const signer = (r['signer'] ?? {}) as Record<string, unknown>
  const audit = (r['audit'] ?? {}) as Record<string, unknown>
  const cp = (audit['checkpoint'] ?? {}) as Record<string, unknown>
  if (r['format'] !== RECEIPT_FORMAT) problems.push(`format is not ${RECEIPT_FORMAT}`)
  let spki: Buffer | null = null
  if (typeof signer['publicKey'] === 'string') spki = Buffer.from(signer['publicKey'], 'base64')
  else problems.push('signer.publicKey is missing')
  let fingerprint: string | null = null
  try {
    fingerprint = spki ? publicKeyFingerprint(spki) : null
  } catch {
    fingerprint = null
  }
  if (spki && signer['publicKeySha256'] !== fingerprint) problems.push('signer.publicKeySha256 does not match the public key')
  if (spki) {
    const sig = typeof r['signature'] === 'string' ? Buffer.from(r['signature'], 'base64') : Buffer.alloc(0)
    try {
      if (!verify(spki, receiptSigningBytes(r), sig)) problems.push('signature does not verify: the receipt was altered or signed by another key')
    } catch {
      problems.push('signer.publicKey is not an Ed25519 public key')
      spki = null
    }
  }
  const seq = typeof audit['seq'] === 'number' ? audit['seq'] : null
  const size = typeof cp['size'] === 'number' ? cp['size'] : null
  if (spki && typeof cp['note'] === 'string') {
    const note = cp['note']
    const origin = note.split('\n')[0] ?? ''
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' })
    const checked = verifyCheckpoint(note, { origin, name: origin, keyId: noteKeyId(sha256, origin, ed25519PublicKeyBytes(key)), verify: ed25519Verifier(key) })
    if (!checked.ok) problems.push(`audit checkpoint: ${checked.errors.join('; ')}`)
    else {
      const c = checked.value.checkpoint
      if (c.size !== size || toHex(c.root) !== cp['root']) problems.push('audit checkpoint size or root differs from the signed note')
      const leaf = typeof audit['leafHash'] === 'string' ? fromHex(audit['leafHash']) : null
      const proof = Array.isArray(audit['inclusionProof']) ? audit['inclusionProof'].map((h) => (typeof h === 'string' ? fromHex(h) : null)) : null
      if (seq === null || leaf === null || proof === null || proof.some((p) => p === null)) problems.push('audit entry proof is missing or malformed')
      else if (!verifyInclusion(sha256, seq, c.size, leaf, proof as Uint8Array[], c.root)) problems.push('the audit entry is not included in the signed checkpoint')
    }
  } else if (spki) problems.push('audit checkpoint note is missing')
  return {
    valid: problems.length === 0,
    problems,
    id: typeof r['id'] === 'string' ? r['id'] : null,
    kind: typeof r['kind'] === 'string' ? r['kind'] : null,
    publicKeySha256: fingerprint,
    auditSeq: seq,
    checkpointSize: size,
    backupKeks: backupKeks(r['backups']),
  }
}

function backupKeks(b: unknown): string[] | null {
  const keks = typeof b === 'object' && b !== null ? (b as Record<string, unknown>)['keks'] : undefined
  return Array.isArray(keks) && keks.every((k) => typeof k === 'string') ? (keks as string[]) : null
}
