import { formatInstant } from '../../core/time/instant.js'
import type { Phone } from '../../core/phone/phone.js'
import type { RunSummary } from '../../store/repos/retention-runs.js'
import type { RequestContext } from '../context.js'
import type { RetentionDeps } from './deps.js'
import { finishRun } from './finish-run.js'
import type { LoadedPolicy } from './policy-file.js'
import { rowId } from '../../store/row-id.js'

const iso = (t: number | null): string | null => (t === null ? null : formatInstant(t))

/** One consent event as exported, its evidence and disclosure text decrypted. */
export interface ExportedConsent {
  readonly id: string
  readonly type: 'grant' | 'revoke'
  readonly seller: string | null
  readonly scope: 'all-sellers' | 'seller'
  readonly kind: string | null
  readonly channel: string | null
  readonly via: string | null
  readonly at: string | null
  readonly recordedAt: string | null
  readonly disclosure: { readonly sha256: string; readonly text: string | null } | null
  readonly source: string | null
  readonly ip: string | null
  readonly userAgent: string | null
  readonly words: string | null
}

/** Everything stored about a number, decrypted (the `export --json` document). */
export interface ExportDocument {
  readonly phone: string
  /** Whether anything at all is stored about the number. */
  readonly found: boolean
  readonly contact: { readonly phone: string; readonly firstSeen: string | null } | null
  readonly consents: ExportedConsent[]
  readonly dncEntries: Array<{ id: string; seller: string | null; scope: 'all-sellers' | 'seller'; at: string | null; recordedAt: string | null; source: string | null }>
  readonly suppressions: Array<{ scope: 'all-sellers' | 'seller'; sellerKey: string | null; at: string | null; origin: string }>
  readonly reassignedChecks: Array<{ id: string; date: string | null; result: string; queriedAt: string | null }>
  readonly calls: Array<{ id: string; campaign: string; at: string | null; outcome: string; durationSeconds: number | null }>
  readonly decisions: Array<{ id: string; campaign: string; at: string | null; verdict: string; reasons: string[]; decidedAt: string | null }>
  /** Contact records (lead data) per purpose, decrypted, each value with when it was last verified. */
  readonly contacts: Array<{ id: string; purpose: string; verifiedAt: string | null; createdAt: string | null; fields: Record<string, { value: string; verifiedAt: string | null }> }>
  /** Path of the receipt of this access request. */
  readonly receipt: string
}

/**
 * A person's data, decrypted (an access request): the number, every consent and revocation with
 * its evidence and the exact disclosure text, do-not-call requests and suppression entries,
 * reassigned-number results, calls, gate decisions and contact records (lead data per purpose). The read is one audited unit of work
 * (`subject.export`, counts only) and gets a receipt (no PII); the document goes only to the caller.
 */
export async function exportSubject(d: RetentionDeps, ctx: RequestContext, phone: Phone, loaded: LoadedPolicy): Promise<ExportDocument> {
  const { repos } = d
  const bidx = repos.subjects.bidxOf(phone)
  const runId = rowId('run')
  const document = await d.uow.write(ctx, 'subject.export', async (tx) => {
    const ex = tx.db
    const file = (await repos.subjectRecords.read(ex, { bidx: [bidx] }, { sealed: true })).get(bidx)!
    const subject = file.subject
    const consents: ExportedConsent[] = []
    for (const e of file.consent) {
      const evidence = await repos.consent.openEvidence(ex, e)
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
        disclosure: e.disclosure_id === null ? null : await repos.disclosures.open(ex, e.disclosure_id),
        ...evidence,
      })
    }
    const dncEntries: ExportDocument['dncEntries'] = []
    for (const r of file.dnc) {
      dncEntries.push({ id: r.id, seller: r.seller, scope: r.seller === null ? 'all-sellers' : 'seller', at: iso(r.at), recordedAt: iso(r.recorded_at), source: await repos.dnc.openSource(ex, r) })
    }
    const reassignedChecks = file.reassigned.map((k) => ({ id: k.id, date: iso(k.date)?.slice(0, 10) ?? null, result: k.result, queriedAt: iso(k.queried_at) }))
    const calls = file.calls.map((c) => ({ id: c.id, campaign: c.campaign_id, at: iso(c.at), outcome: c.outcome, durationSeconds: c.duration_s }))
    const suppressions = file.suppressions.map((s) => ({ scope: s.seller_key === null ? ('all-sellers' as const) : ('seller' as const), sellerKey: s.seller_key, at: iso(s.at), origin: s.origin }))
    const decisions = (await repos.decisions.forNumber(ex, bidx)).map((r) => ({
      id: r.id,
      campaign: r.campaign_id,
      at: iso(r.at),
      verdict: r.verdict,
      reasons: (JSON.parse(r.reasons) as Array<{ code: string }>).map((x) => x.code),
      decidedAt: iso(r.decided_at),
    }))
    const contactRecords: ExportDocument['contacts'] = []
    for (const c of file.contacts) {
      const values = await repos.contacts.openValues(ex, c)
      contactRecords.push({ id: c.id, purpose: c.purpose, verifiedAt: iso(c.verified_at), createdAt: iso(c.created_at), fields: Object.fromEntries(Object.entries(values).map(([f, v]) => [f, { value: v.value, verifiedAt: iso(v.verifiedAt) }])) })
    }
    const contact = subject ? { phone: await repos.subjects.openPhone(ex, subject.id, subject.phone_ct), firstSeen: iso(subject.created_at) } : null
    const counts = { consentEvents: consents.length, dncEntries: dncEntries.length, suppressions: suppressions.length, reassignedChecks: reassignedChecks.length, calls: calls.length, decisions: decisions.length, contacts: contactRecords.length }
    const summary: RunSummary = { records: counts, keysDestroyed: [], suppressionEntriesAdded: 0, kept: [], policySha256: loaded.sha256 }
    const found = subject !== null || suppressions.length > 0 || decisions.length > 0
    return {
      result: { phone: phone.e164, found, contact, consents, dncEntries, suppressions, reassignedChecks, calls, decisions, contacts: contactRecords },
      audit: {
        subject: bidx,
        data: { run: runId, ...counts },
        onAppended: (trx, seq) => repos.retentionRuns.insertAudited(trx, { id: runId, kind: 'export', at: tx.now, subject: bidx, summary, auditSeq: seq }, tx.now),
      },
    }
  })
  const finished = await finishRun(d, ctx, runId)
  return { ...document, receipt: finished.receipt }
}
