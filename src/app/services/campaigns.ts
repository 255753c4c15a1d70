import { sellerKey, type Campaign, type CampaignChannel, type DialingMode, type Purpose } from '../../core/gate/campaign.js'
import { DialwardError } from '../../core/errors.js'
import type { Executor } from '../../store/schema.js'
import type { campaignsRepo } from '../../store/repos/campaigns.js'
import type { RequestContext } from '../context.js'
import type { StoreWatch } from '../indexes/store-watch.js'
import type { UnitOfWork } from '../unit-of-work.js'
import type { RowHeads } from '../../store/repos/row-heads.js'
import { purposePolicy, type DataSchema } from '../../core/contacts/data-schema.js'

/** A campaign to register. */
export interface CampaignInput {
  readonly id: string
  readonly seller: string
  readonly purpose: Purpose
  readonly dialing: DialingMode
  readonly channel: CampaignChannel
  /** The data purpose it dials (declared in the data schema); default: its own purpose. */
  readonly dataPurpose?: string | null | undefined
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/

/** Campaigns: registered once, never changed (past decisions were made under their attributes). Cached, stamped by the `campaigns` topic. */
export class CampaignService {
  readonly #uow: UnitOfWork
  readonly #repo: typeof campaignsRepo
  readonly #db: Executor
  readonly #cache = new Map<string, Campaign>()
  readonly #heads: RowHeads
  readonly #schema: DataSchema
  #verified = false

  constructor(uow: UnitOfWork, repo: typeof campaignsRepo, db: Executor, watch: StoreWatch, schema: DataSchema, heads: RowHeads) {
    this.#uow = uow
    this.#repo = repo
    this.#db = db
    this.#schema = schema
    this.#heads = heads
    watch.on('campaigns', () => {
      this.#cache.clear()
      this.#verified = false
    })
  }

  /**
   * Registers a campaign. The same id again with identical attributes is a no-op (`created:
   * false`, nothing audited); with other attributes it is refused (`CAMPAIGN_EXISTS`). The data
   * purpose must be declared in the data schema (`UNKNOWN_PURPOSE`); without one the campaign
   * dials the data of its own purpose.
   */
  add(ctx: RequestContext, input: CampaignInput): Promise<{ campaign: Campaign; created: boolean }> {
    if (!ID.test(input.id)) throw new DialwardError('INVALID_INPUT', 'use letters, digits, ".", "_", ":" and "-" only', 'id')
    const dataPurpose = input.dataPurpose ?? input.purpose
    if (input.dataPurpose != null && purposePolicy(this.#schema, dataPurpose) === null) {
      throw new DialwardError('UNKNOWN_PURPOSE', `purpose "${dataPurpose}" is not declared in the data schema (declared: ${Object.keys(this.#schema.purposes).join(', ')})`, 'dataPurpose')
    }
    const campaign: Campaign = { id: input.id, seller: input.seller, sellerKey: sellerKey(input.seller), purpose: input.purpose, dialing: input.dialing, channel: input.channel, dataPurpose }
    return this.#uow.write<{ campaign: Campaign; created: boolean }>(ctx, 'campaign.add', async (tx) => {
      const existing = await this.#repo.get(tx.db, input.id)
      if (existing) {
        const same = existing.sellerKey === campaign.sellerKey && existing.purpose === campaign.purpose && existing.dialing === campaign.dialing && existing.channel === campaign.channel && existing.dataPurpose === campaign.dataPurpose
        if (!same) throw new DialwardError('CAMPAIGN_EXISTS', `campaign "${input.id}" already exists with other attributes`, 'id')
        return { result: { campaign: existing, created: false }, audit: null }
      }
      await this.#repo.insert(tx.db, campaign, tx.now)
      tx.changed('campaigns')
      return {
        result: { campaign, created: true },
        audit: { subject: null, data: { campaign: campaign.id, seller: campaign.seller, purpose: campaign.purpose, dialing: campaign.dialing, channel: campaign.channel, dataPurpose } },
      }
    })
  }

  /**
   * A registered campaign, or `UNKNOWN_CAMPAIGN` naming the field. The campaigns are verified
   * against the audit log's head once per cache lifetime: a campaign changed behind Dialward (a
   * marketing campaign turned informational) is `AUDIT_TAMPERED`.
   */
  async get(id: string, field = 'campaign'): Promise<Campaign> {
    const cached = this.#cache.get(id)
    if (cached) return cached
    if (!this.#verified) {
      await this.#heads.verifyTable(this.#db, 'campaigns', 'campaigns')
      this.#verified = true
    }
    const campaign = await this.#repo.get(this.#db, id)
    if (!campaign) throw new DialwardError('UNKNOWN_CAMPAIGN', `unknown campaign "${id}"`, field)
    this.#cache.set(id, campaign)
    return campaign
  }

  list(): Promise<Campaign[]> {
    return this.#repo.list(this.#db)
  }
}
