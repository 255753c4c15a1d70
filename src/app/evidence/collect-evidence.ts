import type { Kysely } from 'kysely'
import type { Database } from '../../store/schema.js'
import type { App } from '../open-app.js'
import { DialwardError } from '../../core/errors.js'
import { sellerKey } from '../../core/gate/campaign.js'
import { formatInstant } from '../../core/time/instant.js'
import { toHex } from '../../core/audit/bytes.js'
import { EVIDENCE_FORMAT, EVIDENCE_VERSION, type EvidenceAuditEntry, type EvidenceDocument } from '../../core/evidence/evidence-document.js'
import { decryptField, fieldKeyId } from '../../crypto/envelope.js'
import { sha256 } from '../../crypto/signing.js'
import { writeTransaction } from '../../store/write-transaction.js'
import { appendAudit } from '../audit/audit-trail.js'
import { resolveDecisionVersions } from '../gate/run-versions.js'
import { DecisionsRepo } from '../../store/repos/decisions.js'
import { checkedTree, entriesBySeq, publicKeyView } from '../audit/audit-proof.js'
import { checkpointView } from '../audit/checkpoints.js'
import { optionalInstant, requirePhone, requireText } from '../input.js'

/** Input of `dialward evidence`. */
export interface EvidenceInput {
  [flag: string]: unknown
  phone?: unknown
  seller?: unknown
  at?: unknown
}

const iso = (t: number): string => formatInstant(t)

/**
 * Collects everything Dialward holds that bears on calls to one number — consent grants and
 * revocations with their decrypted evidence and disclosure texts, do-not-call requests,
 * reassigned-number checks, gate decisions with reasons and data versions, call records — limited
 * to one seller and to facts at or before `--at` when given. The read is itself audited
 * (`pii.read`) before anything is returned; a checkpoint is then signed so every fact's audit
 * entry, the read included, comes with an inclusion proof against it.
 */
export async function collectEvidence(app: App, input: EvidenceInput, purpose: 'json' | 'zip'): Promise<EvidenceDocument> {
  const phone = requirePhone('--phone', input.phone)
  const seller = input.seller === undefined ? null : requireText('--seller', input.seller, 200).trim()
  const sk = seller === null ? null : sellerKey(seller)
  const until = input.at === undefined ? null : optionalInstant('--at', input.at, 0)
  const bidx = app.blindIndexer.phone(phone.e164)
  const db = app.db
  const subject = await db.selectFrom('subjects').select(['id', 'key_id']).where('phone_bidx', '=', bidx).executeTakeFirst()
  const sid = subject?.id ?? '\u0000none'
  const before = <T extends { at: number }>(rows: T[]): T[] => (until === null ? rows : rows.filter((r) => r.at <= until))

  const consentRows = before(await db.selectFrom('consent_events').selectAll().where('subject_id', '=', sid).orderBy('at').orderBy('recorded_at').orderBy('id').execute())
    .filter((r) => sk === null || r.seller_key === null || r.seller_key === sk)
  const dncRows = before(await db.selectFrom('dnc_entries').selectAll().where('subject_id', '=', sid).orderBy('at').orderBy('id').execute())
    .filter((r) => sk === null || r.seller_key === null || r.seller_key === sk)
  const reassignedRows = (await db.selectFrom('reassigned_checks').selectAll().where('subject_id', '=', sid).orderBy('date').orderBy('id').execute())
    .filter((r) => until === null || r.date <= until)
  const callRows = before(await db.selectFrom('calls').selectAll().where('subject_id', '=', sid).orderBy('at').orderBy('id').execute())
    .filter((r) => sk === null || r.seller_key === sk)
  const campaigns = new Map((await db.selectFrom('campaigns').select(['id', 'seller_key']).execute()).map((c) => [c.id, c.seller_key]))
  const decisionRows = before(await db.selectFrom('decisions').selectAll().where('phone_bidx', '=', bidx).orderBy('at').orderBy('decided_at').orderBy('id').execute())
    .filter((r) => sk === null || campaigns.get(r.campaign_id) === sk)

  // Decrypt the evidence fields: a destroyed subject key (crypto-shredded) reads as erased.
  let erased = false
  const open = async (table: string, rowId: string, column: string, blob: Buffer | null): Promise<string | null> => {
    if (blob === null || erased) return null
    try {
      const keyId = fieldKeyId(blob)
      const key = await app.dataKeys.get(db, keyId)
      return decryptField(key, keyId, { table, rowId, column }, blob).toString('utf8')
    } catch (err) {
      if (err instanceof DialwardError && err.code === 'KEY_UNAVAILABLE') {
        erased = true
        return null
      }
      throw new DialwardError('DECRYPT_FAILED', `${table} ${rowId} ${column} cannot be decrypted: ${err instanceof Error ? err.message : String(err)}`)
    }
  }

  const decisionVersions = await resolveDecisionVersions(new DecisionsRepo(app.dialect), db, decisionRows)
  const seqs = await auditSeqs(db, bidx, decisionRows.some((d) => d.source !== 'check'))
  const consentEvents: EvidenceDocument['consentEvents'][number][] = []
  for (const r of consentRows) {
    let disclosure = null
    if (r.disclosure_id !== null) {
      const d = await db.selectFrom('disclosures').selectAll().where('id', '=', r.disclosure_id).executeTakeFirstOrThrow()
      const text = await open('disclosures', d.id, 'text_ct', d.text_ct)
      if (text !== null && toHex(sha256(Buffer.from(text, 'utf8'))) !== d.sha256) {
        throw new DialwardError('DISCLOSURE_MISMATCH', `disclosure ${d.id} no longer hashes to its recorded SHA-256`)
      }
      disclosure = { sha256: d.sha256, text }
    }
    consentEvents.push({
      id: r.id,
      type: r.type,
      seller: r.seller,
      kind: r.kind,
      channel: r.channel,
      via: r.via,
      at: iso(r.at),
      recordedAt: iso(r.recorded_at),
      source: await open('consent_events', r.id, 'source_ct', r.source_ct),
      ip: await open('consent_events', r.id, 'ip_ct', r.ip_ct),
      userAgent: await open('consent_events', r.id, 'user_agent_ct', r.user_agent_ct),
      words: await open('consent_events', r.id, 'words_ct', r.words_ct),
      disclosure,
      erased,
      auditSeq: seqs.get(`consent.${r.type}|${r.id}`) ?? null,
    })
  }
  const dncEntries: EvidenceDocument['dncEntries'][number][] = []
  for (const r of dncRows) {
    const source = await open('dnc_entries', r.id, 'source_ct', r.source_ct)
    dncEntries.push({ id: r.id, seller: r.seller, at: iso(r.at), recordedAt: iso(r.recorded_at), source, erased, auditSeq: seqs.get(`dnc.add|${r.id}`) ?? null })
  }
  const doc = {
    reassignedChecks: reassignedRows.map((r) => ({
      id: r.id,
      date: iso(r.date).slice(0, 10),
      result: r.result,
      queriedAt: iso(r.queried_at),
      recordedAt: iso(r.recorded_at),
      auditSeq: seqs.get(`reassigned.record|${r.id}`) ?? null,
    })),
    decisions: decisionRows.map((r, i) => ({
      id: r.id,
      campaign: r.campaign_id,
      source: r.source,
      at: iso(r.at),
      decidedAt: iso(r.decided_at),
      verdict: r.verdict,
      reasons: JSON.parse(r.reasons) as { code: string; message: string; rule: string }[],
      nextAllowedAt: r.next_allowed_at === null ? null : iso(r.next_allowed_at),
      versions: decisionVersions[i],
      auditSeq: (r.source === 'check' ? seqs.get(`gate.check|${r.id}`) : seqs.get(`gate.scrub|${r.source}`)) ?? null,
    })),
    calls: callRows.map((r) => ({
      id: r.id,
      campaign: r.campaign_id,
      at: iso(r.at),
      outcome: r.outcome,
      durationSeconds: r.duration_s,
      recordedAt: iso(r.recorded_at),
      auditSeq: seqs.get(`calls.record|${r.id}`) ?? null,
    })),
  }
  const facts = consentEvents.length + dncEntries.length + doc.reassignedChecks.length + doc.decisions.length + doc.calls.length

  // The read of decrypted PII is audited before the evidence leaves the process.
  const now = app.now()
  const readSeq = await writeTransaction(app.db, app.dialect, (trx) =>
    appendAudit(trx, app.dialect, app.config.actor, now, {
      action: 'pii.read',
      subject: bidx,
      data: { purpose: 'evidence', output: purpose, seller, at: until === null ? null : iso(until), facts },
    }),
  )
  const { tree, checkpoint, origin } = await checkedTree(app, readSeq + 1)
  const referenced = [...consentEvents, ...dncEntries, ...doc.reassignedChecks, ...doc.decisions, ...doc.calls].flatMap((f) => (f.auditSeq === null ? [] : [f.auditSeq]))
  const views = await entriesBySeq(app, [...referenced, readSeq])
  const audit: EvidenceAuditEntry[] = [...views.values()]
    .sort((a, b) => a.seq - b.seq)
    .map((e) => ({ ...e, inclusionProof: tree.inclusionProof(e.seq, checkpoint.size).map(toHex) }))
  return {
    format: EVIDENCE_FORMAT,
    version: EVIDENCE_VERSION,
    generatedAt: new Date(now).toISOString(),
    generatedBy: app.config.actor,
    query: { phone: phone.e164, seller, at: until === null ? null : iso(until) },
    subject: bidx,
    consentEvents,
    dncEntries,
    ...doc,
    readEntrySeq: readSeq,
    log: {
      origin,
      ...publicKeyView(app),
      checkpoint: checkpointView(checkpoint),
    },
    audit,
  }
}

/** Maps `action|row id` to the seq of the audit entry that recorded the row. */
async function auditSeqs(db: Kysely<Database>, bidx: string, withScrubRuns: boolean): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  const idKeys: Record<string, string> = {
    'consent.grant': 'event',
    'consent.revoke': 'event',
    'dnc.add': 'entry',
    'reassigned.record': 'check',
    'calls.record': 'call',
    'gate.check': 'decision',
    'gate.scrub': 'run',
  }
  const rows = await db.selectFrom('audit_log').select(['seq', 'action', 'data']).where('subject', '=', bidx).orderBy('seq').execute()
  if (withScrubRuns) rows.push(...(await db.selectFrom('audit_log').select(['seq', 'action', 'data']).where('action', '=', 'gate.scrub').orderBy('seq').execute()))
  for (const r of rows) {
    const key = idKeys[r.action]
    if (!key) continue
    try {
      const id = (JSON.parse(r.data) as Record<string, unknown>)[key]
      if (typeof id === 'string' && !out.has(`${r.action}|${id}`)) out.set(`${r.action}|${id}`, r.seq)
    } catch {
      // a malformed entry is found by `audit verify`; the fact is then shown without an entry
    }
  }
  return out
}
