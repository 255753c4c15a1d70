import { createHash } from 'node:crypto'
import { DialwardError, invalidInput } from '../../core/errors.js'
import { sellerKey } from '../../core/gate/campaign.js'
import { formatInstant } from '../../core/time/instant.js'
import { holdActive, type HoldScope } from '../../core/retention/holds.js'
import { decryptField, encryptField } from '../../crypto/envelope.js'
import { writeTransaction } from '../../store/write-transaction.js'
import { appendAudit } from '../audit/audit-trail.js'
import { optionalInstant, requirePhone, requireText } from '../input.js'
import type { App } from '../open-app.js'
import { loadHolds, targetOf } from '../retention/holds-store.js'
import { campaignsRepo } from '../../store/repos/campaigns.js'

export interface HoldAddInput {
  [flag: string]: unknown
  id?: unknown
  reason?: unknown
  phone?: unknown
  seller?: unknown
  campaign?: unknown
  all?: unknown
  until?: unknown
}

/** A hold as `hold list` shows it. */
export interface HoldView {
  id: string
  scope: HoldScope['kind']
  target: string | null
  reason: string
  createdAt: string
  until: string | null
  releasedAt: string | null
  active: boolean
}

/**
 * Places a legal hold: nothing it covers is purged or erased until it is released or its
 * `--until` passes. The reason is stored encrypted; the number of a phone hold only as its blind index.
 */
export async function addHold(app: App, input: HoldAddInput): Promise<HoldView> {
  const id = requireText('--id', input.id, 200).trim()
  if (!/^[\w.:-]+$/.test(id)) throw invalidInput('--id', 'may hold only letters, digits and . _ : -')
  const reason = requireText('--reason', input.reason, 2_000)
  const given = (['phone', 'seller', 'campaign', 'all'] as const).filter((k) => input[k] !== undefined && input[k] !== false)
  if (given.length !== 1) throw invalidInput('--phone/--seller/--campaign/--all', 'give exactly one scope')
  const now = app.now()
  const until = input.until === undefined ? null : optionalInstant('--until', input.until, now)
  let scope: HoldScope
  let label: string
  switch (given[0]!) {
    case 'phone': {
      const bidx = app.blindIndexer.phone(requirePhone('--phone', input.phone).e164)
      scope = { kind: 'phone', bidx }
      label = bidx
      break
    }
    case 'seller': {
      const seller = requireText('--seller', input.seller, 200).trim()
      scope = { kind: 'seller', sellerKey: sellerKey(seller) }
      label = seller
      break
    }
    case 'campaign': {
      const campaignId = requireText('--campaign', input.campaign, 200)
      const c = await campaignsRepo.get(app.db, campaignId)
      if (!c) throw new DialwardError('UNKNOWN_CAMPAIGN', `--campaign: unknown campaign "${campaignId}"`)
      scope = { kind: 'campaign', campaignId: c.id }
      label = c.id
      break
    }
    default:
      scope = { kind: 'all' }
      label = 'all'
  }
  return writeTransaction(app.db, app.dialect, async (trx) => {
    const exists = await trx.selectFrom('legal_holds').select('id').where('id', '=', id).executeTakeFirst()
    if (exists) throw new DialwardError('HOLD_EXISTS', `--id: a legal hold "${id}" already exists`)
    const keyRow = await trx.selectFrom('data_keys').select('id').where('scope', '=', 'holds').where('destroyed_at', 'is', null).executeTakeFirst()
    const key = keyRow ? { id: keyRow.id, key: await app.dataKeys.get(trx, keyRow.id) } : await app.dataKeys.create(trx, 'holds', now)
    const reasonCt = encryptField(key.key, key.id, { table: 'legal_holds', rowId: id, column: 'reason_ct' }, JSON.stringify({ reason, label }))
    await trx.insertInto('legal_holds').values({ id, scope: scope.kind, target: targetOf(scope), reason_key_id: key.id, reason_ct: reasonCt, created_at: now, until, released_at: null }).execute()
    await appendAudit(trx, app.dialect, app.config.actor, now, {
      action: 'hold.add',
      subject: scope.kind === 'phone' ? scope.bidx : null,
      data: { hold: id, scope: scope.kind, target: scope.kind === 'phone' ? null : targetOf(scope), until: until === null ? null : formatInstant(until), reasonSha256: createHash('sha256').update(reason).digest('hex') },
    })
    return { id, scope: scope.kind, target: label, reason, createdAt: formatInstant(now), until: until === null ? null : formatInstant(until), releasedAt: null, active: until === null || now < until }
  })
}

/** Releases a legal hold (audited); releasing a released hold changes nothing. */
export async function releaseHold(app: App, input: { [flag: string]: unknown; id?: unknown }): Promise<HoldView> {
  const id = requireText('--id', input.id, 200).trim()
  const now = app.now()
  await writeTransaction(app.db, app.dialect, async (trx) => {
    const row = await trx.selectFrom('legal_holds').select(['id', 'scope', 'target', 'released_at']).where('id', '=', id).executeTakeFirst()
    if (!row) throw new DialwardError('UNKNOWN_HOLD', `--id: unknown legal hold "${id}"`)
    if (row.released_at !== null) return
    await trx.updateTable('legal_holds').set({ released_at: now }).where('id', '=', id).execute()
    await appendAudit(trx, app.dialect, app.config.actor, now, { action: 'hold.release', subject: row.scope === 'phone' ? row.target : null, data: { hold: id, scope: row.scope } })
  })
  return (await listHolds(app, now)).find((h) => h.id === id)!
}

/** Every legal hold with its (decrypted) reason, oldest first. */
export async function listHolds(app: App, now: number = app.now()): Promise<HoldView[]> {
  const rows = await app.db.selectFrom('legal_holds').selectAll().orderBy('created_at').orderBy('id').execute()
  const holds = new Map((await loadHolds(app.db)).map((h) => [h.id, h]))
  const out: HoldView[] = []
  for (const r of rows) {
    const key = await app.dataKeys.get(app.db, r.reason_key_id)
    const { reason, label } = JSON.parse(decryptField(key, r.reason_key_id, { table: 'legal_holds', rowId: r.id, column: 'reason_ct' }, r.reason_ct).toString('utf8')) as { reason: string; label: string }
    out.push({
      id: r.id,
      scope: r.scope as HoldScope['kind'],
      target: r.scope === 'all' ? null : label,
      reason,
      createdAt: formatInstant(r.created_at),
      until: r.until === null ? null : formatInstant(r.until),
      releasedAt: r.released_at === null ? null : formatInstant(r.released_at),
      active: holdActive(holds.get(r.id)!, now),
    })
  }
  return out
}
