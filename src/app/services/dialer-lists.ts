import { DialwardError } from '../../core/errors.js'
import { normalizePhone } from '../../core/phone/normalize.js'
import type { Phone } from '../../core/phone/phone.js'
import { formatInstant } from '../../core/time/instant.js'
import { dataPurposeOf, sellerKey } from '../../core/gate/campaign.js'
import { purposePolicy, type DataSchema } from '../../core/contacts/data-schema.js'
import { dncHeader, dncLine, listHeader, listLine, type ListFormat } from '../../core/contacts/list-format.js'
import { isValidRegionCode } from '../../core/phone/places.js'
import type { Executor } from '../../store/schema.js'
import type { Repositories } from '../../store/repos/index.js'
import type { RequestContext } from '../context.js'
import type { UnitOfWork } from '../unit-of-work.js'
import type { CampaignService } from './campaigns.js'
import type { GateService } from './gate.js'

/** What `export-list` wrote. */
export interface ListExport {
  readonly campaign: string
  readonly purpose: string
  readonly at: string
  readonly format: ListFormat
  readonly fields: readonly string[]
  /** Contact records of the purpose considered. */
  readonly contacts: number
  /** Written: the gate allows them at `at`. */
  readonly written: number
  readonly blocked: number
  /** Blocked contacts per reason code. */
  readonly byReason: Record<string, number>
}

/** What `dnc export` wrote. */
export interface DncExport {
  readonly format: ListFormat
  readonly seller: string | null
  readonly numbers: number
}

/** A list for a dialer: what was written, and the file's bytes. */
export interface DialerList<T> {
  readonly result: T
  readonly body: Buffer
}

/** Contacts decided per gate call (one logged batch each). */
const PAGE = 1_000

/** What dialer lists are built from. */
export interface DialerListDeps {
  readonly uow: UnitOfWork
  readonly repos: Repositories
  readonly db: Executor
  readonly campaigns: CampaignService
  readonly gate: GateService
  readonly schema: DataSchema
  readonly clock: () => number
}

/**
 * Lists for dialers: the contacts of a campaign's data purpose that the gate allows at an instant,
 * with only the fields that purpose keeps (every decision logged like a scrub), and the company
 * do-not-call list in a form VICIdial's DNC loader takes. Both decrypt numbers: audited (counts
 * only). Each returns the list's bytes with its summary; the edge writes them (a file, standard
 * output, an HTTP answer).
 */
export class DialerLists {
  readonly #d: DialerListDeps

  constructor(deps: DialerListDeps) {
    this.#d = deps
  }

  async exportList(ctx: RequestContext, input: { campaign: string; at?: number | undefined; format: ListFormat }): Promise<DialerList<ListExport>> {
    const d = this.#d
    const campaign = await d.campaigns.get(input.campaign)
    const purpose = dataPurposeOf(campaign)
    const policy = purposePolicy(d.schema, purpose)
    if (policy === null) throw new DialwardError('UNKNOWN_PURPOSE', `the campaign's data purpose "${purpose}" is not declared in the data schema`, 'campaign')
    const at = input.at ?? d.clock()
    const fields = policy.fields.map((f) => f.name)
    const parts: string[] = [listHeader(input.format, fields)]
    const byReason: Record<string, number> = {}
    let contacts = 0
    let written = 0
    for (let after: string | null = null; ; ) {
      const page = await d.repos.contacts.page(d.db, purpose, after, PAGE)
      if (page.length === 0) break
      after = page[page.length - 1]!.contact.id
      const open: Array<{ phone: Phone; values: Record<string, string> }> = []
      for (const r of page) {
        const e164 = await d.repos.subjects.openPhone(d.db, r.subjectId, r.phoneCt)
        const parsed = normalizePhone(e164)
        if (!parsed.ok) continue
        const values = Object.fromEntries(Object.entries(await d.repos.contacts.openValues(d.db, r.contact)).map(([f, v]) => [f, v.value]))
        open.push({ phone: parsed.phone, values })
      }
      contacts += open.length
      const verdicts = await d.gate.checkMany(ctx, {
        campaign: campaign.id,
        at,
        numbers: open.map((o) => ({ phone: o.phone.e164, address: { state: o.values['state'] !== undefined && isValidRegionCode(o.values['state']) ? o.values['state'] : null, zip: o.values['zip'] ?? null } })),
      })
      verdicts.forEach((v, i) => {
        if (v.verdict === 'allow') {
          parts.push(listLine(input.format, open[i]!.phone, fields, open[i]!.values))
          written++
        } else for (const r of v.reasons) byReason[r.code] = (byReason[r.code] ?? 0) + 1
      })
    }
    const result: ListExport = { campaign: campaign.id, purpose, at: formatInstant(at), format: input.format, fields, contacts, written, blocked: contacts - written, byReason }
    await d.uow.write(ctx, 'contact.list.export', async () => ({ result: undefined, audit: { subject: null, data: { campaign: campaign.id, purpose, at: result.at, format: input.format, contacts, written } } }))
    return { result, body: Buffer.from(parts.join('')) }
  }

  async exportDnc(ctx: RequestContext, input: { format: ListFormat; seller: string | null }): Promise<DialerList<DncExport>> {
    const d = this.#d
    const key = input.seller === null ? null : sellerKey(input.seller)
    const parts: string[] = [dncHeader(input.format)]
    const seen = new Set<string>()
    let numbers = 0
    for (let after: string | null = null; ; ) {
      const page = await d.repos.dnc.page(d.db, after, PAGE)
      if (page.length === 0) break
      after = page[page.length - 1]!.id
      for (const r of page) {
        if (key !== null && r.sellerKey !== null && r.sellerKey !== key) continue
        const parsed = normalizePhone(await d.repos.subjects.openPhone(d.db, r.subjectId, r.phoneCt))
        if (!parsed.ok) continue
        // VICIdial's loader takes each number once; CSV keeps one line per request
        if (input.format === 'vicidial') {
          if (seen.has(parsed.phone.e164)) continue
          seen.add(parsed.phone.e164)
        }
        parts.push(dncLine(input.format, parsed.phone, r.seller, formatInstant(r.at)))
        numbers++
      }
    }
    await d.uow.write(ctx, 'dnc.export', async () => ({ result: undefined, audit: { subject: null, data: { format: input.format, seller: input.seller, numbers } } }))
    return { result: { format: input.format, seller: input.seller, numbers }, body: Buffer.from(parts.join('')) }
  }
}
