import { DialwardError } from '../../core/errors.js'
import { formatInstant } from '../../core/time/instant.js'
import type { Executor } from '../../store/schema.js'
import { EMERGENCIES_SETTING, emergencyRegionsAt, type emergenciesRepo, type EmergencyDeclaration } from '../../store/repos/emergencies.js'
import type { RowHeads } from '../../store/repos/row-heads.js'
import type { RequestContext } from '../context.js'
import type { StoreWatch } from '../indexes/store-watch.js'
import type { UnitOfWork } from '../unit-of-work.js'

/** A declaration to record. */
export interface DeclareInput {
  /** Region code such as `US-LA` (upper case). */
  readonly region: string
  /** Start; default now. */
  readonly from?: number | undefined
  /** End (exclusive); open-ended when null. */
  readonly until: number | null
  readonly reason: string | null
}

/** Declared states of emergency (Louisiana bans marketing calls during one). Cached, stamped by the `emergencies` topic. */
export class EmergencyService {
  readonly #uow: UnitOfWork
  readonly #repo: typeof emergenciesRepo
  readonly #db: Executor
  #cache: EmergencyDeclaration[] | null = null

  readonly #heads: RowHeads

  constructor(uow: UnitOfWork, repo: typeof emergenciesRepo, db: Executor, watch: StoreWatch, heads: RowHeads) {
    this.#uow = uow
    this.#repo = repo
    this.#db = db
    this.#heads = heads
    watch.on('emergencies', () => (this.#cache = null))
  }

  declare(ctx: RequestContext, input: DeclareInput): Promise<EmergencyDeclaration> {
    return this.#save(ctx, 'emergency.declare', (all, now) => {
      const declaration: EmergencyDeclaration = { region: input.region, from: input.from ?? now, until: input.until, reason: input.reason }
      if (declaration.until !== null && declaration.until <= declaration.from) throw new DialwardError('INVALID_INPUT', 'must be after the start of the declaration', 'until')
      return { next: [...all, declaration], declaration }
    })
  }

  /** Ends the open declarations of a region at `at` (default now). */
  end(ctx: RequestContext, region: string, at?: number): Promise<EmergencyDeclaration> {
    return this.#save(ctx, 'emergency.end', (all, now) => {
      const when = at ?? now
      const open = all.filter((e) => e.region === region && e.from <= when && (e.until === null || e.until > when))
      if (open.length === 0) throw new DialwardError('NO_EMERGENCY', `no open emergency for ${region} at ${formatInstant(when)}`, 'region')
      return { next: all.map((e) => (open.includes(e) ? { ...e, until: when } : e)), declaration: { ...open[0]!, until: when } }
    })
  }

  /** Every declaration on record, verified against the audit log's head of emergencies (a declaration removed behind Dialward is `AUDIT_TAMPERED`). */
  async list(): Promise<EmergencyDeclaration[]> {
    if (this.#cache === null) {
      await this.#heads.verifySetting(this.#db, EMERGENCIES_SETTING, 'emergencies')
      this.#cache = await this.#repo.list(this.#db)
    }
    return this.#cache
  }

  /** Regions under a declared emergency at an instant. */
  async regionsAt(at: number): Promise<string[]> {
    return emergencyRegionsAt(await this.list(), at)
  }

  #save(
    ctx: RequestContext,
    action: 'emergency.declare' | 'emergency.end',
    change: (all: EmergencyDeclaration[], now: number) => { next: EmergencyDeclaration[]; declaration: EmergencyDeclaration },
  ): Promise<EmergencyDeclaration> {
    return this.#uow.write(ctx, action, async (tx) => {
      const { next, declaration: d } = change(await this.#repo.list(tx.db), tx.now)
      await this.#repo.save(tx.db, next)
      tx.changed('emergencies')
      return {
        result: d,
        audit: { subject: null, data: { region: d.region, from: formatInstant(d.from), until: d.until === null ? null : formatInstant(d.until), reason: d.reason } },
      }
    })
  }
}
