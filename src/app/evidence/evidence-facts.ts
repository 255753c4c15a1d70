import { isError, DialwardError } from '../../core/errors.js'
import { sellerKey } from '../../core/gate/campaign.js'
import { formatInstant } from '../../core/time/instant.js'
import { toHex } from '../../core/audit/bytes.js'
import type { EvidenceDocument } from '../../core/evidence/evidence-document.js'
import { sha256 } from '../../crypto/signing.js'
import type { Executor } from '../../store/schema.js'
import type { Repositories } from '../../store/repos/index.js'
import type { ConsentEvidence } from '../../store/repos/consent.js'
import { resolveDecisionVersions } from '../gate/run-versions.js'

/** Which facts about a number: one seller's (and those covering every seller) or all, up to an instant or all. */
export interface EvidenceScope {
  readonly seller: string | null
  /** Only facts at or before this instant; `null` for all. */
  readonly until: number | null
}

/** The facts of an evidence document, each with the seq of the audit entry that recorded it. */
export type EvidenceFacts = Pick<EvidenceDocument, 'consentEvents' | 'dncEntries' | 'reassignedChecks' | 'decisions' | 'calls'>

/** The repositories evidence reads. */
export type EvidenceRepos = Pick<Repositories, 'subjectRecords' | 'consent' | 'dnc' | 'disclosures' | 'decisions' | 'campaigns' | 'auditLog'>

const iso = (t: number): string => formatInstant(t)
const NO_EVIDENCE: ConsentEvidence = { source: null, ip: null, userAgent: null, words: null, trustedForm: null, leadId: null }

/** The audit entry data field naming the row each action recorded. */
const ROW_ID_FIELD: Readonly<Record<string, string>> = {
  'consent.grant': 'event',
  'consent.revoke': 'event',
  'dnc.add': 'entry',
  'reassigned.record': 'check',
  'calls.record': 'call',
  'gate.check': 'decision',
  'gate.scrub': 'run',
  'gate.check.batch': 'batch',
}

/**
 * Reads everything stored about one number (by blind index) that bears on calls to it — consent
 * grants and revocations with their decrypted evidence and disclosure texts, do-not-call requests,
 * reassigned-number checks, gate decisions with reasons and data versions, call records — through
 * the one subject reader and the owning repositories, limited to `scope`. A destroyed subject key
 * (crypto-shredded) reads as erased: its sealed fields are null. The caller audits the read.
 */
export async function readEvidenceFacts(db: Executor, repos: EvidenceRepos, bidx: string, scope: EvidenceScope): Promise<EvidenceFacts> {
  const sk = scope.seller === null ? null : sellerKey(scope.seller)
  const until = scope.until
  const before = <T extends { at: number }>(rows: readonly T[]): T[] => (until === null ? [...rows] : rows.filter((r) => r.at <= until))
  const file = (await repos.subjectRecords.read(db, { bidx: [bidx] }, { sealed: true })).get(bidx)!

  const consentRows = before(file.consent).filter((r) => sk === null || r.seller_key === null || r.seller_key === sk)
  const dncRows = before(file.dnc).filter((r) => sk === null || r.seller_key === null || r.seller_key === sk)
  const reassignedRows = file.reassigned.filter((r) => until === null || r.date <= until)
  const callRows = before(file.calls).filter((r) => sk === null || r.seller_key === sk)
  const campaigns = await repos.campaigns.sellers(db)
  const decisionRows = before(await repos.decisions.forNumber(db, bidx)).filter((r) => sk === null || campaigns.get(r.campaign_id) === sk)

  // Once one sealed field meets a destroyed key, the subject is erased: every later field reads as null.
  let erased = false
  const opened = async <T>(open: () => Promise<T>, empty: T): Promise<T> => {
    if (erased) return empty
    try {
      return await open()
    } catch (err) {
      if (!isError(err, 'KEY_UNAVAILABLE')) throw err
      erased = true
      return empty
    }
  }

  const decisionVersions = await resolveDecisionVersions(repos.decisions, db, decisionRows)
  const batches = [...new Set(decisionRows.flatMap((d) => (d.source.startsWith('batch_') ? [d.source.slice('batch_'.length)] : [])))]
  const seqs = await auditSeqs(db, repos, [bidx, ...batches], decisionRows.some((d) => d.source.startsWith('scrub_')))
  const consentEvents: EvidenceFacts['consentEvents'][number][] = []
  for (const r of consentRows) {
    let disclosure = null
    if (r.disclosure_id !== null) {
      const id = r.disclosure_id
      const open = await opened(() => repos.disclosures.open(db, id), null)
      const recorded = open?.sha256 ?? (await repos.disclosures.hashOf(db, id))
      const text = open?.text ?? null
      if (text !== null && toHex(sha256(Buffer.from(text, 'utf8'))) !== recorded) {
        throw new DialwardError('DISCLOSURE_MISMATCH', `disclosure ${id} no longer hashes to its recorded SHA-256`)
      }
      disclosure = { sha256: recorded, text }
    }
    const ev = await opened(() => repos.consent.openEvidence(db, r), NO_EVIDENCE)
    consentEvents.push({
      id: r.id,
      type: r.type as 'grant' | 'revoke',
      seller: r.seller,
      kind: r.kind,
      channel: r.channel,
      via: r.via,
      at: iso(r.at),
      recordedAt: iso(r.recorded_at),
      source: ev.source,
      ip: ev.ip,
      userAgent: ev.userAgent,
      words: ev.words,
      trustedFormCertUrl: ev.trustedForm,
      leadIdToken: ev.leadId,
      disclosure,
      erased,
      auditSeq: seqs.get(`consent.${r.type}|${r.id}`) ?? null,
    })
  }
  const dncEntries: EvidenceFacts['dncEntries'][number][] = []
  for (const r of dncRows) {
    const source = await opened(() => repos.dnc.openSource(db, r), null)
    dncEntries.push({ id: r.id, seller: r.seller, at: iso(r.at), recordedAt: iso(r.recorded_at), source, erased, auditSeq: seqs.get(`dnc.add|${r.id}`) ?? null })
  }
  return {
    consentEvents,
    dncEntries,
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
      auditSeq: (r.source === 'check' ? seqs.get(`gate.check|${r.id}`) : r.source.startsWith('batch_') ? seqs.get(`gate.check.batch|${r.source}`) : seqs.get(`gate.scrub|${r.source}`)) ?? null,
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
}

/** How many facts a set holds. */
export function factCount(f: EvidenceFacts): number {
  return f.consentEvents.length + f.dncEntries.length + f.reassignedChecks.length + f.decisions.length + f.calls.length
}

/** The audit seqs the facts refer to. */
export function referencedSeqs(f: EvidenceFacts): number[] {
  return [...f.consentEvents, ...f.dncEntries, ...f.reassignedChecks, ...f.decisions, ...f.calls].flatMap((x) => (x.auditSeq === null ? [] : [x.auditSeq]))
}

/** Maps `action|row id` to the seq of the (first) audit entry that recorded the row. */
async function auditSeqs(db: Executor, repos: EvidenceRepos, subjects: readonly string[], withScrubRuns: boolean): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  const rows = []
  for (const [i, s] of subjects.entries()) rows.push(...(await repos.auditLog.about(db, s, i === 0 && withScrubRuns ? ['gate.scrub'] : [])))
  for (const r of rows) {
    const key = ROW_ID_FIELD[r.action]
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
