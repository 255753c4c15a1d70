import { CAMPAIGN_CHANNELS, DIALING_MODES, PURPOSES, sellerKey, type Campaign } from '../../core/gate/campaign.js'
import { DialwardError } from '../../core/errors.js'
import { writeTransaction } from '../../store/write-transaction.js'
import { appendAudit } from '../audit/audit-trail.js'
import { oneOf, optionalOneOf, requireText } from '../input.js'
import type { App } from '../open-app.js'

export interface CampaignAddInput {
  [flag: string]: unknown
  id?: unknown
  seller?: unknown
  purpose?: unknown
  dialing?: unknown
  channel?: unknown
}

/**
 * Registers a campaign. Adding the same id again with identical attributes is a no-op; with
 * different attributes it is refused, because past decisions were made under the old ones.
 */
export async function addCampaign(app: App, input: CampaignAddInput): Promise<{ campaign: Campaign; created: boolean }> {
  const id = requireText('--id', input.id, 200)
  if (!/^[A-Za-z0-9][A-Za-z0-9._:-]*$/.test(id)) throw new DialwardError('usage', 'INVALID_INPUT', '--id: use letters, digits, ".", "_", ":" and "-" only')
  const seller = requireText('--seller', input.seller, 200).trim()
  const campaign: Campaign = {
    id,
    seller,
    sellerKey: sellerKey(seller),
    purpose: oneOf('--purpose', input.purpose, PURPOSES),
    dialing: oneOf('--dialing', input.dialing, DIALING_MODES),
    channel: optionalOneOf('--channel', input.channel, CAMPAIGN_CHANNELS, 'voice'),
  }
  const now = app.now()
  return writeTransaction(app.db, app.dialect, async (trx) => {
    const existing = await trx.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst()
    if (existing) {
      const same =
        existing.seller_key === campaign.sellerKey &&
        existing.purpose === campaign.purpose &&
        existing.dialing === campaign.dialing &&
        existing.channel === campaign.channel
      if (!same) throw new DialwardError('conflict', 'CAMPAIGN_EXISTS', `--id: campaign "${id}" already exists with other attributes`)
      return { campaign, created: false }
    }
    await trx
      .insertInto('campaigns')
      .values({
        id,
        seller,
        seller_key: campaign.sellerKey,
        purpose: campaign.purpose,
        dialing: campaign.dialing,
        channel: campaign.channel,
        created_at: now,
      })
      .execute()
    await appendAudit(trx, app.dialect, app.config.actor, now, {
      action: 'campaign.add',
      subject: null,
      data: { campaign: id, seller, purpose: campaign.purpose, dialing: campaign.dialing, channel: campaign.channel },
    })
    return { campaign, created: true }
  })
}

/** Loads a campaign or fails with an unknown-campaign error naming the flag. */
export async function getCampaign(app: App, id: unknown): Promise<Campaign> {
  const campaignId = requireText('--campaign', id, 200)
  const row = await app.db.selectFrom('campaigns').selectAll().where('id', '=', campaignId).executeTakeFirst()
  if (!row) throw new DialwardError('not-found', 'UNKNOWN_CAMPAIGN', `--campaign: unknown campaign "${campaignId}"`)
  return {
    id: row.id,
    seller: row.seller,
    sellerKey: row.seller_key,
    purpose: oneOf('campaign.purpose', row.purpose, PURPOSES),
    dialing: oneOf('campaign.dialing', row.dialing, DIALING_MODES),
    channel: oneOf('campaign.channel', row.channel, CAMPAIGN_CHANNELS),
  }
}
