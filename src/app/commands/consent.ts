import { randomUUID } from 'node:crypto'
import { sellerKey } from '../../core/gate/campaign.js'
import { CONSENT_CHANNELS, CONSENT_KINDS, REVOCATION_VIA } from '../../core/consent/consent-event.js'
import { formatInstant } from '../../core/time/instant.js'
import { writeTransaction } from '../../store/write-transaction.js'
import { appendAudit } from '../audit/audit-trail.js'
import { ensureDisclosure } from '../disclosures.js'
import { oneOf, optionalIp, optionalOneOf, optionalText, requireInstant, requirePhone, requireText } from '../input.js'
import type { App } from '../open-app.js'
import { ensureSubject, sealForSubject } from '../subjects.js'

export interface ConsentGrantInput {
  [flag: string]: unknown
  phone?: unknown
  seller?: unknown
  kind?: unknown
  at?: unknown
  channel?: unknown
  disclosure?: unknown
  source?: unknown
  ip?: unknown
  userAgent?: unknown
}

/** Appends a consent grant (with its evidence, encrypted under the subject's key) to the ledger. */
export async function grantConsent(app: App, input: ConsentGrantInput): Promise<Record<string, unknown>> {
  const phone = requirePhone('--phone', input.phone)
  const seller = requireText('--seller', input.seller, 200).trim()
  const kind = oneOf('--kind', input.kind, CONSENT_KINDS)
  const at = requireInstant('--at', input.at)
  const channel = optionalOneOf('--channel', input.channel, CONSENT_CHANNELS, 'any')
  const disclosure = optionalText('--disclosure', input.disclosure, 100_000)
  const source = optionalText('--source', input.source, 4_000)
  const ip = optionalIp('--ip', input.ip)
  const userAgent = optionalText('--user-agent', input.userAgent, 4_000)
  const now = app.now()
  return writeTransaction(app.db, app.dialect, async (trx) => {
    const subject = await ensureSubject(app, trx, phone, now)
    const id = `ce_${randomUUID()}`
    const seal = (column: string, value: string | null): Promise<Buffer | null> =>
      sealForSubject(app, trx, subject, 'consent_events', id, column, value)
    const dis = disclosure === null ? null : await ensureDisclosure(app, trx, disclosure, now)
    await trx
      .insertInto('consent_events')
      .values({
        id,
        subject_id: subject.id,
        type: 'grant',
        seller,
        seller_key: sellerKey(seller),
        kind,
        channel,
        via: null,
        at,
        disclosure_id: dis?.id ?? null,
        source_ct: await seal('source_ct', source),
        ip_ct: await seal('ip_ct', ip),
        user_agent_ct: await seal('user_agent_ct', userAgent),
        words_ct: null,
        recorded_at: now,
      })
      .execute()
    await appendAudit(trx, app.dialect, app.config.actor, now, {
      action: 'consent.grant',
      subject: subject.bidx,
      data: { event: id, seller, kind, channel, at: formatInstant(at), disclosureSha256: dis?.sha256 ?? null },
    })
    return { id, type: 'grant', seller, kind, channel, at: formatInstant(at), disclosureSha256: dis?.sha256 ?? null }
  })
}

export interface ConsentRevokeInput {
  [flag: string]: unknown
  phone?: unknown
  at?: unknown
  seller?: unknown
  via?: unknown
  words?: unknown
}

/** Appends a revocation: ends the seller's (or every seller's) consent and is a do-not-call request. */
export async function revokeConsent(app: App, input: ConsentRevokeInput): Promise<Record<string, unknown>> {
  const phone = requirePhone('--phone', input.phone)
  const at = requireInstant('--at', input.at)
  const seller = input.seller === undefined ? null : requireText('--seller', input.seller, 200).trim()
  const via = input.via === undefined ? null : oneOf('--via', input.via, REVOCATION_VIA)
  const words = optionalText('--words', input.words, 4_000)
  const now = app.now()
  return writeTransaction(app.db, app.dialect, async (trx) => {
    const subject = await ensureSubject(app, trx, phone, now)
    const id = `ce_${randomUUID()}`
    await trx
      .insertInto('consent_events')
      .values({
        id,
        subject_id: subject.id,
        type: 'revoke',
        seller,
        seller_key: seller === null ? null : sellerKey(seller),
        kind: null,
        channel: null,
        via,
        at,
        disclosure_id: null,
        source_ct: null,
        ip_ct: null,
        user_agent_ct: null,
        words_ct: await sealForSubject(app, trx, subject, 'consent_events', id, 'words_ct', words),
        recorded_at: now,
      })
      .execute()
    await appendAudit(trx, app.dialect, app.config.actor, now, {
      action: 'consent.revoke',
      subject: subject.bidx,
      data: { event: id, seller, via, at: formatInstant(at) },
    })
    return { id, type: 'revoke', seller, scope: seller === null ? 'all-sellers' : 'seller', via, at: formatInstant(at) }
  })
}
