import type { ConsentChannel, ConsentKind, RevocationVia } from '../../core/consent/consent-event.js'
import type { Phone } from '../../core/phone/phone.js'
import { formatInstant } from '../../core/time/instant.js'
import type { ConsentRepo } from '../../store/repos/consent.js'
import type { DisclosuresRepo } from '../../store/repos/disclosures.js'
import type { RequestContext } from '../context.js'
import type { SubjectFact, SubjectWrites } from '../subject-writes.js'
import type { WriteTx } from '../unit-of-work.js'
import type { Subject } from '../../store/repos/subjects.js'

/** A grant of consent (or an established business relationship) and the evidence captured with it. */
export interface GrantInput {
  readonly phone: Phone
  readonly seller: string
  readonly kind: ConsentKind
  /** When consent was given; default: now. */
  readonly at?: number | undefined
  readonly channel: ConsentChannel
  /** The exact disclosure text the consumer was shown. */
  readonly disclosure: string | null
  /** Where consent was captured (page URL, form, script). */
  readonly source: string | null
  readonly ip: string | null
  readonly userAgent: string | null
  /** ActiveProspect TrustedForm certificate URL captured with the form. */
  readonly trustedForm?: string | null
  /** Jornaya LeadiD token captured with the form. */
  readonly leadId?: string | null
}

export interface GrantResult {
  readonly id: string
  readonly type: 'grant'
  readonly seller: string
  readonly kind: ConsentKind
  readonly channel: ConsentChannel
  readonly at: string
  readonly disclosureSha256: string | null
}

/** A revocation; `seller: null` covers every seller. */
export interface RevocationInput {
  readonly phone: Phone
  readonly at?: number | undefined
  readonly seller: string | null
  readonly via: RevocationVia | null
  /** The consumer's words, kept as evidence. */
  readonly words: string | null
}

export interface RevocationResult {
  readonly id: string
  readonly type: 'revoke'
  readonly seller: string | null
  readonly scope: 'all-sellers' | 'seller'
  readonly via: RevocationVia | null
  readonly at: string
}

/** The consent ledger: append-only grants and revocations with their evidence sealed under the subject's key. */
export class ConsentService {
  readonly #writes: SubjectWrites
  readonly #consent: ConsentRepo
  readonly #disclosures: DisclosuresRepo

  constructor(writes: SubjectWrites, consent: ConsentRepo, disclosures: DisclosuresRepo) {
    this.#writes = writes
    this.#consent = consent
    this.#disclosures = disclosures
  }

  grant(ctx: RequestContext, g: GrantInput): Promise<GrantResult> {
    return this.#writes.record(ctx, 'consent.grant', g.phone, (tx, subject) => this.#grantOne(tx, subject, g))
  }

  /** Records many grants in one unit of work (a bulk import chunk), each audited as `consent.grant` would. */
  grantMany(ctx: RequestContext, items: readonly GrantInput[]): Promise<GrantResult[]> {
    return this.#writes.recordMany(ctx, 'consent.grant', items, (g) => g.phone, (tx, subject, g) => this.#grantOne(tx, subject, g))
  }

  async #grantOne(tx: WriteTx, subject: Subject, g: GrantInput): Promise<SubjectFact<GrantResult>> {
    const at = g.at ?? tx.now
    const dis = g.disclosure === null ? null : await this.#disclosures.ensure(tx.db, g.disclosure, tx.now)
    const record = { seller: g.seller, kind: g.kind, channel: g.channel, at, disclosureId: dis?.id ?? null, source: g.source, ip: g.ip, userAgent: g.userAgent, trustedForm: g.trustedForm ?? null, leadId: g.leadId ?? null }
    const id = await this.#consent.appendGrant(tx.db, subject, record, tx.now)
    const result: GrantResult = { id, type: 'grant', seller: g.seller, kind: g.kind, channel: g.channel, at: formatInstant(at), disclosureSha256: dis?.sha256 ?? null }
    return { result, data: { event: id, seller: g.seller, kind: g.kind, channel: g.channel, at: result.at, disclosureSha256: result.disclosureSha256 } }
  }

  /** Records a revocation: it ends the seller's (or every seller's) consent at once and is a do-not-call request. */
  revoke(ctx: RequestContext, r: RevocationInput): Promise<RevocationResult> {
    return this.#writes.record(ctx, 'consent.revoke', r.phone, async (tx, subject) => {
      const at = r.at ?? tx.now
      const id = await this.#consent.appendRevocation(tx.db, subject, { seller: r.seller, via: r.via, at, words: r.words }, tx.now)
      const result: RevocationResult = { id, type: 'revoke', seller: r.seller, scope: r.seller === null ? 'all-sellers' : 'seller', via: r.via, at: formatInstant(at) }
      return { result, data: { event: id, seller: r.seller, via: r.via, at: result.at } }
    })
  }
}
