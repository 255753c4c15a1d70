/**
 * The evidence document (`evidence.json`, format `dialward.evidence` version 1): everything
 * Dialward holds about one telephone number that bears on calls to it, each fact tied to its
 * audit-log entry, and every audit entry to a signed checkpoint by an RFC 9162 inclusion proof.
 * Instants are ISO-8601 UTC strings except inside audit entries, which keep their stored form.
 */
import type { AuditValue } from '../audit/audit-entry.js'

/** Format tag of the evidence document. */
export const EVIDENCE_FORMAT = 'dialward.evidence'
/** Version of the evidence document format. */
export const EVIDENCE_VERSION = 1

/** An audit entry as shipped: the stored fields, its canonical text, leaf hash and inclusion proof. */
export interface EvidenceAuditEntry {
  readonly seq: number
  /** Milliseconds since the epoch, exactly as hashed. */
  readonly at: number
  readonly actor: string
  readonly action: string
  readonly subject: string | null
  readonly data: Readonly<Record<string, AuditValue>>
  /** `canonicalEntryJson` of the entry: the bytes (UTF-8) under the leaf hash. */
  readonly canonical: string
  /** SHA-256(0x00 ‖ canonical), hex. */
  readonly leafHash: string
  /** Inclusion proof of `seq` in the checkpoint's tree, hex hashes from the leaf's sibling upwards. */
  readonly inclusionProof: readonly string[]
}

/** The signed checkpoint every inclusion proof is against, and the key that signed it. */
export interface EvidenceLog {
  readonly origin: string
  /** Raw 32-byte Ed25519 public key, standard base64. */
  readonly publicKey: string
  /** SHA-256 of the raw public key, hex: compare it with the fingerprint the operator publishes. */
  readonly publicKeySha256: string
  readonly checkpoint: { readonly size: number; readonly root: string; readonly time: string; readonly note: string }
}

/** A disclosure shown to the consumer: its exact text and the SHA-256 of the text's UTF-8 bytes. */
export interface EvidenceDisclosure {
  readonly sha256: string
  /** Null when the text's key was destroyed (crypto-shredded). */
  readonly text: string | null
}

/** A consent grant or revocation with its decrypted evidence fields. */
export interface EvidenceConsentEvent {
  readonly id: string
  readonly type: 'grant' | 'revoke'
  readonly seller: string | null
  readonly kind: string | null
  readonly channel: string | null
  readonly via: string | null
  readonly at: string
  readonly recordedAt: string
  readonly source: string | null
  readonly ip: string | null
  readonly userAgent: string | null
  readonly words: string | null
  /** ActiveProspect TrustedForm certificate URL captured with a web-form grant. */
  readonly trustedFormCertUrl: string | null
  /** Jornaya LeadiD token captured with a web-form grant. */
  readonly leadIdToken: string | null
  readonly disclosure: EvidenceDisclosure | null
  /** True when the subject's data key was destroyed, so encrypted fields read as null. */
  readonly erased: boolean
  readonly auditSeq: number | null
}

/** A company-specific do-not-call entry. */
export interface EvidenceDncEntry {
  readonly id: string
  readonly seller: string | null
  readonly at: string
  readonly recordedAt: string
  readonly source: string | null
  readonly erased: boolean
  readonly auditSeq: number | null
}

/** A Reassigned Numbers Database result. */
export interface EvidenceReassignedCheck {
  readonly id: string
  readonly date: string
  readonly result: string
  readonly queriedAt: string
  readonly recordedAt: string
  readonly auditSeq: number | null
}

/** One gate decision for the number, with every reason and the data versions it used. */
export interface EvidenceDecision {
  readonly id: string
  readonly campaign: string
  /** `check`, or the scrub run id. */
  readonly source: string
  readonly at: string
  readonly decidedAt: string
  readonly verdict: string
  readonly reasons: readonly { readonly code: string; readonly message: string; readonly rule: string }[]
  readonly nextAllowedAt: string | null
  readonly versions: unknown
  readonly auditSeq: number | null
}

/** One recorded call attempt. */
export interface EvidenceCall {
  readonly id: string
  readonly campaign: string
  readonly at: string
  readonly outcome: string
  readonly durationSeconds: number | null
  readonly recordedAt: string
  readonly auditSeq: number | null
}

/** The whole evidence document. */
export interface EvidenceDocument {
  readonly format: typeof EVIDENCE_FORMAT
  readonly version: typeof EVIDENCE_VERSION
  readonly generatedAt: string
  readonly generatedBy: string
  readonly query: { readonly phone: string; readonly seller: string | null; readonly at: string | null }
  /** The number's pseudonym (keyed blind index) as it appears in audit entries. */
  readonly subject: string
  readonly consentEvents: readonly EvidenceConsentEvent[]
  readonly dncEntries: readonly EvidenceDncEntry[]
  readonly reassignedChecks: readonly EvidenceReassignedCheck[]
  readonly decisions: readonly EvidenceDecision[]
  readonly calls: readonly EvidenceCall[]
  /** The audit entry recording this very read of decrypted PII. */
  readonly readEntrySeq: number
  readonly log: EvidenceLog
  /** Every audit entry referred to above, by seq ascending. */
  readonly audit: readonly EvidenceAuditEntry[]
}
