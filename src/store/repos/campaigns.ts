import type { Executor } from '../schema.js'
import { rowLedger } from './row-ledger.js'
import { CAMPAIGN_CHANNELS, DIALING_MODES, PURPOSES, dataPurposeOf, type Campaign } from '../../core/gate/campaign.js'

type Row = { id: string; seller: string; seller_key: string; purpose: string; dialing: string; channel: string; data_purpose: string | null }

function toCampaign(row: Row): Campaign {
  const pick = <T extends string>(allowed: readonly T[], v: string, what: string): T => {
    if (!(allowed as readonly string[]).includes(v)) throw new Error(`campaign ${row.id}: stored ${what} "${v}" is not known`)
    return v as T
  }
  return {
    id: row.id,
    seller: row.seller,
    sellerKey: row.seller_key,
    purpose: pick(PURPOSES, row.purpose, 'purpose'),
    dialing: pick(DIALING_MODES, row.dialing, 'dialing mode'),
    channel: pick(CAMPAIGN_CHANNELS, row.channel, 'channel'),
    dataPurpose: row.data_purpose ?? row.purpose,
  }
}

/** Campaigns (`campaigns`): who calls, why and how. */
export const campaignsRepo = {
  async get(ex: Executor, id: string): Promise<Campaign | null> {
    const row = await ex.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst()
    return row ? toCampaign(row) : null
  },

  async list(ex: Executor): Promise<Campaign[]> {
    return (await ex.selectFrom('campaigns').selectAll().orderBy('id').execute()).map(toCampaign)
  },

  async insert(trx: Executor, c: Campaign, now: number): Promise<void> {
    const row = { id: c.id, seller: c.seller, seller_key: c.sellerKey, purpose: c.purpose, dialing: c.dialing, channel: c.channel, created_at: now, data_purpose: dataPurposeOf(c) }
    await trx.insertInto('campaigns').values(row).execute()
    rowLedger.inserted(trx, 'campaigns', [row], 'campaigns')
  },

  /** Seller key of every campaign, by id. */
  async sellers(ex: Executor): Promise<Map<string, string>> {
    return new Map((await ex.selectFrom('campaigns').select(['id', 'seller_key']).execute()).map((c) => [c.id, c.seller_key]))
  },
}
