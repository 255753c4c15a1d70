import { createHash } from 'node:crypto'
import { DialwardError } from '../../core/errors.js'
import { sellerKey } from '../../core/gate/campaign.js'
import type { Phone } from '../../core/phone/phone.js'
import { holdActive, type HoldScope } from '../../core/retention/holds.js'
import { formatInstant, type Instant } from '../../core/time/instant.js'
import type { Executor } from '../../store/schema.js'
import { targetOf, type LegalHoldsRepo, type OpenedHold } from '../../store/repos/legal-holds.js'
import type { SubjectsRepo } from '../../store/repos/subjects.js'
import type { RequestContext } from '../context.js'
import type { UnitOfWork } from '../unit-of-work.js'
import type { CampaignService } from './campaigns.js'

/** What a hold covers, as asked for: one number, a seller, a campaign, or everything. */
export type HoldScopeInput =
  | { readonly kind: 'phone'; readonly phone: Phone }
  | { readonly kind: 'seller'; readonly seller: string }
  | { readonly kind: 'campaign'; readonly campaign: string }
  | { readonly kind: 'all' }

/** A legal hold to place. */
export interface HoldInput {
  /** Letters, digits and `. _ : -`, at most 200 characters. */
  readonly id: string
  readonly reason: string
  readonly scope: HoldScopeInput
  /** Exclusive end; open-ended (until released) when null. */
  readonly until: Instant | null
}

/** A hold as `hold list` shows it. */
export interface HoldView {
  readonly id: string
  readonly scope: HoldScope['kind']
  /** The seller's name, the campaign id or the number's blind index; null for `all`. */
  readonly target: string | null
  readonly reason: string
  readonly createdAt: string
  readonly until: string | null
  readonly releasedAt: string | null
  readonly active: boolean
}

const HOLD_ID = /^[\w.:-]{1,200}$/

/**
 * Legal holds: while one is active, nothing it covers is purged or erased. The reason is stored
 * sealed; the number of a phone hold only as its blind index. Placing and releasing are audited.
 */
export class HoldService {
  readonly #uow: UnitOfWork
  readonly #holds: LegalHoldsRepo
  readonly #subjects: SubjectsRepo
  readonly #campaigns: CampaignService
  readonly #db: Executor
  readonly #clock: () => number

  constructor(uow: UnitOfWork, holds: LegalHoldsRepo, subjects: SubjectsRepo, campaigns: CampaignService, db: Executor, clock: () => number) {
    this.#uow = uow
    this.#holds = holds
    this.#subjects = subjects
    this.#campaigns = campaigns
    this.#db = db
    this.#clock = clock
  }

  /** Places a hold (`HOLD_EXISTS` when the id is taken, `UNKNOWN_CAMPAIGN` for a campaign never registered). */
  async add(ctx: RequestContext, input: HoldInput): Promise<HoldView> {
    if (!HOLD_ID.test(input.id)) throw new DialwardError('INVALID_INPUT', 'may hold only letters, digits and . _ : -', 'id')
    const { scope, label } = await this.#resolve(input.scope)
    return this.#uow.write(ctx, 'hold.add', async (tx) => {
      if (await this.#holds.find(tx.db, input.id)) throw new DialwardError('HOLD_EXISTS', `a legal hold "${input.id}" already exists`, 'id')
      await this.#holds.insert(tx.db, { id: input.id, scope, reason: input.reason, label, until: input.until }, tx.now)
      const until = input.until === null ? null : formatInstant(input.until)
      return {
        result: { id: input.id, scope: scope.kind, target: label, reason: input.reason, createdAt: formatInstant(tx.now), until, releasedAt: null, active: input.until === null || tx.now < input.until },
        audit: {
          subject: scope.kind === 'phone' ? scope.bidx : null,
          data: { hold: input.id, scope: scope.kind, target: scope.kind === 'phone' ? null : targetOf(scope), until, reasonSha256: createHash('sha256').update(input.reason).digest('hex') },
        },
      }
    })
  }

  /** Releases a hold (`UNKNOWN_HOLD` when there is none); releasing a released hold changes nothing. */
  async release(ctx: RequestContext, id: string): Promise<HoldView> {
    await this.#uow.write(ctx, 'hold.release', async (tx) => {
      const hold = await this.#holds.find(tx.db, id)
      if (!hold) throw new DialwardError('UNKNOWN_HOLD', `unknown legal hold "${id}"`, 'id')
      if (!(await this.#holds.release(tx.db, id, tx.now))) return { result: undefined, audit: null }
      return { result: undefined, audit: { subject: hold.scope.kind === 'phone' ? hold.scope.bidx : null, data: { hold: id, scope: hold.scope.kind } } }
    })
    return (await this.list(ctx)).find((h) => h.id === id)!
  }

  /** Every hold with its reason, oldest first, and whether it is active now. */
  async list(_ctx: RequestContext): Promise<HoldView[]> {
    const now = this.#clock()
    return (await this.#holds.opened(this.#db)).map((h) => view(h, now))
  }

  async #resolve(s: HoldScopeInput): Promise<{ scope: HoldScope; label: string }> {
    switch (s.kind) {
      case 'phone': {
        const bidx = this.#subjects.bidxOf(s.phone)
        return { scope: { kind: 'phone', bidx }, label: bidx }
      }
      case 'seller':
        return { scope: { kind: 'seller', sellerKey: sellerKey(s.seller) }, label: s.seller }
      case 'campaign': {
        const c = await this.#campaigns.get(s.campaign, 'campaign')
        return { scope: { kind: 'campaign', campaignId: c.id }, label: c.id }
      }
      case 'all':
        return { scope: { kind: 'all' }, label: 'all' }
    }
  }
}

function view(h: OpenedHold, now: number): HoldView {
  const r = h.hold
  return {
    id: r.id,
    scope: r.scope.kind,
    target: r.scope.kind === 'all' ? null : h.label,
    reason: h.reason,
    createdAt: formatInstant(r.createdAt),
    until: r.until === null ? null : formatInstant(r.until),
    releasedAt: r.releasedAt === null ? null : formatInstant(r.releasedAt),
    active: holdActive(r, now),
  }
}
