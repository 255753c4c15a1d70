import type { Phone } from '../../core/phone/phone.js'
import { formatInstant } from '../../core/time/instant.js'
import { toHex } from '../../core/audit/bytes.js'
import { EVIDENCE_FORMAT, EVIDENCE_VERSION, type EvidenceAuditEntry, type EvidenceDocument } from '../../core/evidence/evidence-document.js'
import type { EvidenceVerification } from '../../core/evidence/verify-evidence.js'
import { sha256 } from '../../crypto/signing.js'
import type { Keyring } from '../../crypto/keyring.js'
import type { Executor } from '../../store/schema.js'
import type { SubjectsRepo } from '../../store/repos/subjects.js'
import type { RowHeads } from '../../store/repos/row-heads.js'
import { readVerified } from '../gate/verified-records.js'
import { checkpointView } from '../audit/checkpoints.js'
import type { SignedLog } from '../audit/signed-log.js'
import { factCount, readEvidenceFacts, referencedSeqs, type EvidenceRepos } from '../evidence/evidence-facts.js'
import { buildEvidencePackage, verifyEvidencePackage } from '../evidence/evidence-package.js'
import { readZip } from '../evidence/zip-archive.js'
import type { RequestContext } from '../context.js'
import type { UnitOfWork } from '../unit-of-work.js'

export type { EvidenceVerification } from '../../core/evidence/verify-evidence.js'

/** Whose evidence: one number, optionally one seller's facts only, optionally only facts up to an instant. */
export interface EvidenceQuery {
  readonly phone: Phone
  /** Only this seller (and revocations and do-not-call requests covering every seller); `null` for all. */
  readonly seller: string | null
  /** Only facts at or before this instant; `null` for all. */
  readonly at: number | null
}

/** A signed evidence package: the ZIP archive's bytes, its SHA-256, its file names, and the document it holds. */
export interface EvidencePackage {
  readonly document: EvidenceDocument
  readonly zip: Buffer
  readonly sha256: string
  readonly files: readonly string[]
}

/** A package to verify offline, and what to pin it to. */
export interface EvidenceVerifyInput {
  /** The ZIP archive as written, or a directory it was unzipped into (absolute path). */
  readonly path: string
  /** A PEM (SPKI) Ed25519 public key the package must be signed by. */
  readonly publicKeyPath: string | null
  /** The operator's checkpoint file: the package's checkpoint must be one of its lines. */
  readonly checkpointsPath: string | null
}

/** What the evidence service is built from. */
export interface EvidenceServiceDeps {
  readonly db: Executor
  readonly uow: UnitOfWork
  readonly repos: EvidenceRepos & { readonly subjects: SubjectsRepo; readonly rowHeads: RowHeads }
  readonly keyring: Keyring
  readonly log: SignedLog
}

/**
 * Evidence for one number: everything needed to defend calls to it, decrypted, each fact tied to
 * its audit entry and every entry to a signed checkpoint by an inclusion proof; as a document or
 * as a signed package that verifies offline.
 */
export class EvidenceService {
  readonly #d: EvidenceServiceDeps

  constructor(deps: EvidenceServiceDeps) {
    this.#d = deps
  }

  /**
   * The evidence document. The read of decrypted PII is audited (`pii.read`, through the unit of
   * work) before anything is returned; a checkpoint is then signed so every fact's audit entry,
   * the read's included, comes with an inclusion proof against it.
   */
  document(ctx: RequestContext, q: EvidenceQuery): Promise<EvidenceDocument> {
    return this.#collect(ctx, q, 'json')
  }

  /** The evidence document as a signed package (a deterministic ZIP archive; see `buildEvidencePackage`). The read is audited as for {@link document}. */
  async package(ctx: RequestContext, q: EvidenceQuery): Promise<EvidencePackage> {
    const document = await this.#collect(ctx, q, 'zip')
    const zip = buildEvidencePackage(document, this.#d.keyring)
    return { document, zip, sha256: toHex(sha256(zip)), files: readZip(zip).map((e) => e.path) }
  }

  /**
   * Verifies an evidence package offline: it needs no data directory, database or keyring, so it
   * is static (the command line calls it without composing services).
   */
  static verifyPackage(_ctx: RequestContext, input: EvidenceVerifyInput): EvidenceVerification {
    return verifyEvidencePackage(input.path, { publicKeyPath: input.publicKeyPath, checkpointsPath: input.checkpointsPath })
  }

  async #collect(ctx: RequestContext, q: EvidenceQuery, output: 'json' | 'zip'): Promise<EvidenceDocument> {
    const { db, uow, repos, log } = this.#d
    const bidx = repos.subjects.bidxOf(q.phone)
    const at = q.at === null ? null : formatInstant(q.at)
    // evidence of rows changed behind Dialward is refused, not signed (AUDIT_TAMPERED)
    await readVerified(db, repos, { bidx: [bidx] })
    const facts = await readEvidenceFacts(db, repos, bidx, { seller: q.seller, until: q.at })
    const read = await uow.writeEntry(ctx, 'pii.read', async (tx) => ({
      result: tx.now,
      audit: { subject: bidx, data: { purpose: 'evidence', output, seller: q.seller, at, facts: factCount(facts) } },
    }))
    const readSeq = read.seq!
    const { tree, checkpoint, origin } = await log.checkedTree(readSeq + 1)
    const views = await log.entries([...referencedSeqs(facts), readSeq])
    const audit: EvidenceAuditEntry[] = [...views.values()]
      .sort((a, b) => a.seq - b.seq)
      .map((e) => ({ ...e, inclusionProof: tree.inclusionProof(e.seq, checkpoint.size).map(toHex) }))
    return {
      format: EVIDENCE_FORMAT,
      version: EVIDENCE_VERSION,
      generatedAt: new Date(read.result).toISOString(),
      generatedBy: ctx.actor,
      query: { phone: q.phone.e164, seller: q.seller, at },
      subject: bidx,
      ...facts,
      readEntrySeq: readSeq,
      log: { origin, ...log.publicKey, checkpoint: checkpointView(checkpoint) },
      audit,
    }
  }
}
