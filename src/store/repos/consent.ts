import type { Database, Executor } from '../schema.js'
import type { ConsentChannel, ConsentKind, RevocationVia } from '../../core/consent/consent-event.js'
import { sellerKey } from '../../core/gate/campaign.js'
import type { Subject, SubjectsRepo } from './subjects.js'
import type { DataKey } from './data-keys.js'
import type { Sealer } from './sealer.js'
import type { ConsentRow } from './subject-records.js'
import { deleteSubjectRows } from './delete-rows.js'
import { rowLedger, subjectScope } from './row-ledger.js'
import { rowId } from '../row-id.js'

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
  readonly trustedForm?: string | null
  readonly leadId?: string | null
}

/** A revocation as stored: one seller, or every seller when `seller` is null, with the consumer's words. */
export interface RevocationRecord {
  readonly seller: string | null
  readonly via: RevocationVia | null
  readonly at: number
  readonly words: string | null
}

/** The sealed (per-subject encrypted) columns of `consent_events`. */
export const CONSENT_SEALED_COLUMNS = ['source_ct', 'ip_ct', 'user_agent_ct', 'words_ct', 'trustedform_ct', 'leadid_ct'] as const
type SealedColumn = (typeof CONSENT_SEALED_COLUMNS)[number]

/** Where a column of an event is sealed. */
const SEALED = (id: string, column: SealedColumn) => ({ table: 'consent_events', rowId: id, column }) as const

/** The evidence of one event in the clear. */
export interface ConsentEvidence {
  readonly source: string | null
  readonly ip: string | null
  readonly userAgent: string | null
  readonly words: string | null
  readonly trustedForm: string | null
  readonly leadId: string | null
}

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
  readonly #sealer: Sealer

  constructor(subjects: SubjectsRepo, sealer: Sealer) {
    this.#subjects = subjects
    this.#sealer = sealer
  }

  async appendGrant(trx: Executor, subject: Subject, g: GrantRecord, now: number): Promise<string> {
    const id = rowId('ce')
    const seal = (column: SealedColumn, value: string | null): Promise<Buffer | null> =>
      this.#subjects.seal(trx, subject, 'consent_events', id, column, value)
    const row: Database['consent_events'] = {
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
        trustedform_ct: await seal('trustedform_ct', g.trustedForm ?? null),
        leadid_ct: await seal('leadid_ct', g.leadId ?? null),
        recorded_at: now,
      }
    await trx.insertInto('consent_events').values(row).execute()
    rowLedger.inserted(trx, 'consent_events', [row], subjectScope(subject.bidx))
    return id
  }

  async appendRevocation(trx: Executor, subject: Subject, r: RevocationRecord, now: number): Promise<string> {
    const id = rowId('ce')
    const row: Database['consent_events'] = {
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
        trustedform_ct: null,
        leadid_ct: null,
        recorded_at: now,
      }
    await trx.insertInto('consent_events').values(row).execute()
    rowLedger.inserted(trx, 'consent_events', [row], subjectScope(subject.bidx))
    return id
  }

  /** An event's evidence decrypted (an audited read of PII is the caller's duty). */
  async openEvidence(ex: Executor, row: ConsentRow<true>): Promise<ConsentEvidence> {
    const open = (column: SealedColumn): Promise<string | null> => this.#sealer.open(ex, SEALED(row.id, column), row[column])
    return {
      source: await open('source_ct'),
      ip: await open('ip_ct'),
      userAgent: await open('user_agent_ct'),
      words: await open('words_ct'),
      trustedForm: await open('trustedform_ct'),
      leadId: await open('leadid_ct'),
    }
  }

  /** Re-seals the evidence of a subject's events under a fresh data key (re-keying the subject). */
  async rekey(trx: Executor, rows: readonly ConsentRow<true>[], fresh: DataKey): Promise<void> {
    for (const e of rows) {
      const set: Partial<Record<SealedColumn, Buffer | null>> = {}
      for (const c of CONSENT_SEALED_COLUMNS) if (e[c] !== null) set[c] = await this.#sealer.reseal(trx, SEALED(e.id, c), e[c], fresh)
      if (Object.keys(set).length === 0) continue
      await trx.updateTable('consent_events').set(set).where('id', '=', e.id).execute()
      rowLedger.updated(trx, 'consent_events', { ...e, ...set })
    }
  }

  /** Deletes events of one subject by id; returns how many went. */
  deleteIds(trx: Executor, subjectId: string, ids: readonly string[]): Promise<number> {
    return deleteSubjectRows(trx, 'consent_events', subjectId, ids)
  }
}
