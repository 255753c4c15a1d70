import { randomUUID } from 'node:crypto'
import type { Database, Executor } from '../schema.js'
import type { ConsentChannel, ConsentKind, RevocationVia } from '../../core/consent/consent-event.js'
import { sellerKey } from '../../core/gate/campaign.js'
import type { Subject, SubjectsRepo } from './subjects.js'

/** A grant as stored: who consented to which seller, how, when, and the evidence captured. */
export interface GrantRecord {
  readonly seller: string
  readonly kind: ConsentKind
  readonly channel: ConsentChannel
  readonly at: number
  readonly disclosureId: string | null
  readonly source: string | null
  readonly ip: string | null
  readonly userAgent: string | null
}

/** A revocation as stored: one seller, or every seller when `seller` is null, with the consumer's words. */
export interface RevocationRecord {
  readonly seller: string | null
  readonly via: RevocationVia | null
  readonly at: number
  readonly words: string | null
}

/** The sealed (per-subject encrypted) columns of `consent_events`. */
export const CONSENT_SEALED_COLUMNS = ['source_ct', 'ip_ct', 'user_agent_ct', 'words_ct'] as const

/** The evidence captured with a consent event, in the clear. */
export interface ConsentEvidence {
  readonly source: string | null
  readonly ip: string | null
  readonly userAgent: string | null
  readonly words: string | null
}

/** The consent ledger (`consent_events`): append-only grants and revocations, evidence sealed under the subject's key. */
export class ConsentRepo {
  readonly #subjects: SubjectsRepo

  constructor(subjects: SubjectsRepo) {
    this.#subjects = subjects
  }

  async appendGrant(trx: Executor, subject: Subject, g: GrantRecord, now: number): Promise<string> {
    const id = `ce_${randomUUID()}`
    const seal = (column: (typeof CONSENT_SEALED_COLUMNS)[number], value: string | null): Promise<Buffer | null> =>
      this.#subjects.seal(trx, subject, 'consent_events', id, column, value)
    await trx
      .insertInto('consent_events')
      .values({
        id,
        subject_id: subject.id,
        type: 'grant',
        seller: g.seller,
        seller_key: sellerKey(g.seller),
        kind: g.kind,
        channel: g.channel,
        via: null,
        at: g.at,
        disclosure_id: g.disclosureId,
        source_ct: await seal('source_ct', g.source),
        ip_ct: await seal('ip_ct', g.ip),
        user_agent_ct: await seal('user_agent_ct', g.userAgent),
        words_ct: null,
        recorded_at: now,
      })
      .execute()
    return id
  }

  async appendRevocation(trx: Executor, subject: Subject, r: RevocationRecord, now: number): Promise<string> {
    const id = `ce_${randomUUID()}`
    await trx
      .insertInto('consent_events')
      .values({
        id,
        subject_id: subject.id,
        type: 'revoke',
        seller: r.seller,
        seller_key: r.seller === null ? null : sellerKey(r.seller),
        kind: null,
        channel: null,
        via: r.via,
        at: r.at,
        disclosure_id: null,
        source_ct: null,
        ip_ct: null,
        user_agent_ct: null,
        words_ct: await this.#subjects.seal(trx, subject, 'consent_events', id, 'words_ct', r.words),
        recorded_at: now,
      })
      .execute()
    return id
  }

  /**
   * Opens the sealed evidence of a consent event read with its sealed columns (an audited read of
   * PII is the caller's duty). Fails with `KEY_UNAVAILABLE` once the subject's key was destroyed.
   */
  async openEvidence(ex: Executor, row: Pick<Database['consent_events'], 'id' | (typeof CONSENT_SEALED_COLUMNS)[number]>): Promise<ConsentEvidence> {
    const open = (column: (typeof CONSENT_SEALED_COLUMNS)[number]): Promise<string | null> => this.#subjects.open(ex, 'consent_events', row.id, column, row[column])
    return { source: await open('source_ct'), ip: await open('ip_ct'), userAgent: await open('user_agent_ct'), words: await open('words_ct') }
  }
}
