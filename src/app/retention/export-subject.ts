import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../../store/schema.js'
import { writeTransaction } from '../../store/write-transaction.js'
import { decryptField, fieldKeyId } from '../../crypto/envelope.js'
import { formatInstant } from '../../core/time/instant.js'
import type { Phone } from '../../core/phone/phone.js'
import { appendAudit } from '../audit/audit-trail.js'
import type { App } from '../open-app.js'
import { finishRun } from './finish-run.js'
import type { LoadedPolicy } from './policy-file.js'

const iso = (t: number | null): string | null => (t === null ? null : formatInstant(t))

/**
 * A person's data, decrypted (an access request): the number, every consent and revocation with
 * its evidence and the exact disclosure text, do-not-call requests and suppression entries,
 * reassigned-number results, calls and gate decisions. The read is audited and gets a receipt
 * (counts only, no PII); the document itself goes only to the caller.
 */
export async function exportSubject(app: App, phone: Phone, loaded: LoadedPolicy): Promise<{ document: Record<string, unknown>; receipt: string }> {
  const bidx = app.blindIndexer.phone(phone.e164)
  const db = app.db
  const subject = await db.selectFrom('subjects').selectAll().where('phone_bidx', '=', bidx).executeTakeFirst()
  const open = async (table: string, rowId: string, column: string, blob: Uint8Array | null): Promise<string | null> => {
    if (blob === null) return null
    const keyId = fieldKeyId(blob)
    return decryptField(await app.dataKeys.get(db, keyId), keyId, { table, rowId, column }, blob).toString('utf8')
  }
  const consents: Array<Record<string, unknown>> = []
  const dnc: Array<Record<string, unknown>> = []
  const reassigned: Array<Record<string, unknown>> = []
  const calls: Array<Record<string, unknown>> = []
  if (subject) {
    for (const e of await db.selectFrom('consent_events').selectAll().where('subject_id', '=', subject.id).orderBy('at').execute()) {
      const dis = e.disclosure_id ? await db.selectFrom('disclosures').selectAll().where('id', '=', e.disclosure_id).executeTakeFirst() : undefined
      consents.push({
        id: e.id,
        type: e.type,
        seller: e.seller,
        scope: e.type === 'revoke' && e.seller === null ? 'all-sellers' : 'seller',
        kind: e.kind,
        channel: e.channel,
        via: e.via,
        at: iso(e.at),
        recordedAt: iso(e.recorded_at),
        disclosure: dis ? { sha256: dis.sha256, text: await open('disclosures', dis.id, 'text_ct', dis.text_ct) } : null,
        source: await open('consent_events', e.id, 'source_ct', e.source_ct),
        ip: await open('consent_events', e.id, 'ip_ct', e.ip_ct),
        userAgent: await open('consent_events', e.id, 'user_agent_ct', e.user_agent_ct),
        words: await open('consent_events', e.id, 'words_ct', e.words_ct),
      })
    }
    for (const d of await db.selectFrom('dnc_entries').selectAll().where('subject_id', '=', subject.id).orderBy('at').execute()) {
      dnc.push({ id: d.id, seller: d.seller, scope: d.seller === null ? 'all-sellers' : 'seller', at: iso(d.at), recordedAt: iso(d.recorded_at), source: await open('dnc_entries', d.id, 'source_ct', d.source_ct) })
    }
    for (const k of await db.selectFrom('reassigned_checks').selectAll().where('subject_id', '=', subject.id).orderBy('date').execute()) {
      reassigned.push({ id: k.id, date: iso(k.date)?.slice(0, 10) ?? null, result: k.result, queriedAt: iso(k.queried_at) })
    }
    for (const c of await db.selectFrom('calls').selectAll().where('subject_id', '=', subject.id).orderBy('at').execute()) {
      calls.push({ id: c.id, campaign: c.campaign_id, at: iso(c.at), outcome: c.outcome, durationSeconds: c.duration_s })
    }
  }
  const suppressions = (await db.selectFrom('suppressions').selectAll().where('phone_bidx', '=', bidx).orderBy('at').execute()).map((s) => ({ scope: s.seller_key === null ? 'all-sellers' : 'seller', sellerKey: s.seller_key, at: iso(s.at), origin: s.origin }))
  const decisions = (await db.selectFrom('decisions').selectAll().where('phone_bidx', '=', bidx).orderBy('at').execute()).map((d) => ({
    id: d.id,
    campaign: d.campaign_id,
    at: iso(d.at),
    verdict: d.verdict,
    reasons: (JSON.parse(d.reasons) as Array<{ code: string }>).map((r) => r.code),
    decidedAt: iso(d.decided_at),
  }))
  const contact = subject ? { phone: await open('subjects', subject.id, 'phone_ct', subject.phone_ct), firstSeen: iso(subject.created_at) } : null
  const counts = { consentEvents: consents.length, dncEntries: dnc.length, suppressions: suppressions.length, reassignedChecks: reassigned.length, calls: calls.length, decisions: decisions.length }
  const runId = `run_${randomUUID()}`
  await recordExport(app, db, runId, bidx, counts, loaded.sha256)
  const finished = await finishRun(app, runId)
  const document = { phone: phone.e164, found: subject !== undefined || suppressions.length > 0 || decisions.length > 0, contact, consents, dncEntries: dnc, suppressions, reassignedChecks: reassigned, calls, decisions, receipt: finished.receipt }
  return { document, receipt: finished.receipt }
}

async function recordExport(app: App, db: Kysely<Database>, runId: string, bidx: string, counts: Record<string, number>, policySha256: string): Promise<void> {
  await writeTransaction(db, app.dialect, async (trx) => {
    const now = app.now()
    const seq = await appendAudit(trx, app.dialect, app.config.actor, now, { action: 'subject.export', subject: bidx, data: { run: runId, ...counts } })
    const summary = { records: counts, keysDestroyed: [], suppressionEntriesAdded: 0, kept: [], policySha256 }
    await trx.insertInto('retention_runs').values({ id: runId, kind: 'export', at: now, status: 'audited', subject: bidx, started_at: now, finished_at: null, summary: JSON.stringify(summary), audit_seq: seq, receipt_path: null }).execute()
  })
}
