import { normalizePhone } from '../../core/phone/normalize.js'
import { isValidRegionCode } from '../../core/phone/places.js'
import { formatInstant } from '../../core/time/instant.js'
import { invalidInput } from '../../core/errors.js'
import type { Reason } from '../../core/gate/reason.js'
import { writeTransaction } from '../../store/write-transaction.js'
import { appendAudit } from '../audit/audit-trail.js'
import { optionalInstant, requireText } from '../input.js'
import type { App } from '../open-app.js'
import { getCampaign } from './campaign-add.js'
import { CALL_LOOKBACK, GateSession, type GateOutcome } from '../gate/gate-session.js'
import { gateRules } from '../gate/gate-rules.js'
import { isListed } from '../gate/registry-pages.js'
import { emptyRecord, loadSubjectRecords } from '../gate/subject-records.js'
import { decisionRow, writeDecision } from '../gate/decision-log.js'

export interface CheckInput {
  [flag: string]: unknown
  campaign?: unknown
  phone?: unknown
  at?: unknown
  state?: unknown
  zip?: unknown
}

/** The contract's `check --json` document. */
export interface CheckResult {
  phone: string | null
  verdict: 'allow' | 'block'
  reasons: Reason[]
  nextAllowedAt: string | null
  decisionId: string
}

/** Validates the consumer-address hints shared by `check` and `scrub`. */
export function addressHint(state: unknown, zip: unknown): { state: string | null; zip: string | null } {
  let s: string | null = null
  if (state !== undefined && state !== null && state !== '') {
    if (typeof state !== 'string' || !isValidRegionCode(state.trim())) throw invalidInput('--state', 'must be a US state or Canadian province code such as FL or ON')
    s = state.trim().toUpperCase()
  }
  let z: string | null = null
  if (zip !== undefined && zip !== null && zip !== '') {
    if (typeof zip !== 'string' || !/^\d{5}(-\d{4})?$/.test(zip.trim())) throw invalidInput('--zip', 'must be a 5-digit ZIP code (optionally ZIP+4)')
    z = zip.trim()
  }
  return { state: s, zip: z }
}

/** May this number be called now, for this campaign? Decides, logs the decision, and returns it. */
export async function check(app: App, input: CheckInput): Promise<CheckResult> {
  const campaign = await getCampaign(app, input.campaign)
  const rawPhone = requireText('--phone', input.phone, 100)
  const now = app.now()
  const at = optionalInstant('--at', input.at, now)
  const address = addressHint(input.state, input.zip)
  const normalized = normalizePhone(rawPhone)
  const phone = normalized.ok ? normalized.phone : null
  const bidx = phone ? app.blindIndexer.phone(phone.e164) : null
  const session = await GateSession.open(app.db, gateRules(app.config), campaign, at)
  const record = bidx ? ((await loadSubjectRecords(app.db, { bidx, callsSince: at - CALL_LOOKBACK })).get(bidx) ?? emptyRecord()) : emptyRecord()
  let outcome: GateOutcome
  if (phone === null) outcome = session.decideInvalid(record)
  else {
    // Registry pages are read ahead (one page per applicable version), then the decision is synchronous.
    const applicability = session.applicability(phone, address)
    const listed = new Set<string>()
    for (const { version } of applicability.registries) {
      if (version && (await isListed(app.db, app.dataKeys, version, Number(phone.national)))) listed.add(version.id)
    }
    outcome = session.decideApplicable(phone, applicability, session.versionsOf(applicability), record, (v) => listed.has(v.id))
  }
  const row = decisionRow(outcome, bidx, campaign.id, 'check', at, now)
  await writeTransaction(app.db, app.dialect, async (trx) => {
    await writeDecision(trx, row)
    await appendAudit(trx, app.dialect, app.config.actor, now, {
      action: 'gate.check',
      subject: bidx,
      data: { decision: row.id, campaign: campaign.id, at: formatInstant(at), verdict: row.verdict, reasons: outcome.decision.reasons.map((r) => r.code).join(';') },
    })
  })
  return {
    phone: phone?.e164 ?? null,
    verdict: outcome.decision.verdict,
    reasons: [...outcome.decision.reasons],
    nextAllowedAt: outcome.decision.nextAllowedAt === null ? null : formatInstant(outcome.decision.nextAllowedAt),
    decisionId: row.id,
  }
}
