import { CONSENT_CHANNELS, CONSENT_KINDS } from '../../core/consent/consent-event.js'
import { DialwardError } from '../../core/errors.js'
import { maybeInstant, oneOf, optionalIp, optionalName, optionalOneOf, optionalText, requirePhone, requireText } from '../input.js'
import type { RawRecord } from '../files/record-rows.js'
import type { RequestContext } from '../context.js'
import type { ConsentService, GrantInput } from './consent.js'
import type { DncInput, DncService } from './dnc.js'

/** One refused record of an import. */
export interface ImportRefusal {
  readonly row: number
  readonly field: string | null
  readonly code: string
  readonly message: string
}

/** What an import did. */
export interface ImportReport {
  readonly rows: number
  readonly stored: number
  readonly refused: number
  /** The first refusals (at most 1,000), in row order. */
  readonly refusals: ImportRefusal[]
  readonly refusalsTruncated: boolean
  /** `true` when `strict` refused the whole file: nothing was stored. */
  readonly rejected: boolean
}

/** Import options. */
export interface ImportOptions {
  /** Refuse the whole file when any record is refused (then nothing is stored). */
  readonly strict: boolean
}

/** Records written per unit of work: each chunk commits whole, its facts audited one by one. */
const CHUNK = 500
const MAX_LISTED = 1_000

/** The first value of a record among its accepted names. */
const pick = (r: RawRecord, ...names: string[]): string | undefined => {
  for (const n of names) if (r.fields[n] !== undefined) return r.fields[n]
  return undefined
}

/** A do-not-call record: `phone` (or `phone_number`, `number`), optional `seller`, `at`, `source`. */
export function dncRecord(r: RawRecord): DncInput {
  return {
    phone: requirePhone('phone', pick(r, 'phone', 'phonenumber', 'number')),
    at: maybeInstant('at', pick(r, 'at')),
    seller: optionalName('seller', pick(r, 'seller')),
    source: optionalText('source', pick(r, 'source'), 4_000),
  }
}

/** A consent record: `phone`, `seller`, `kind`, optional `at`, `channel`, `disclosure`, `page_url`/`source`, `ip`, `user_agent`, `trustedform_cert_url`, `leadid_token`. */
export function grantRecord(r: RawRecord): GrantInput {
  return {
    phone: requirePhone('phone', pick(r, 'phone', 'phonenumber', 'number')),
    seller: requireText('seller', pick(r, 'seller'), 200).trim(),
    kind: oneOf('kind', pick(r, 'kind'), CONSENT_KINDS),
    at: maybeInstant('at', pick(r, 'at')),
    channel: optionalOneOf('channel', pick(r, 'channel'), CONSENT_CHANNELS, 'any'),
    disclosure: optionalText('disclosure', pick(r, 'disclosure'), 100_000),
    source: optionalText('pageUrl', pick(r, 'pageurl', 'source'), 4_000),
    ip: optionalIp('ip', pick(r, 'ip')),
    userAgent: optionalText('userAgent', pick(r, 'useragent'), 4_000),
    trustedForm: optionalText('trustedFormCertUrl', pick(r, 'trustedformcerturl', 'trustedform'), 500),
    leadId: optionalText('leadIdToken', pick(r, 'leadidtoken', 'leadid'), 200),
  }
}

/**
 * Bulk imports of do-not-call requests and consent grants (migrating a retailer's lists): records
 * stream in, each is validated as its single-record route or command validates it, and valid ones
 * are written in chunks of 500 per unit of work — each fact its own row and audit entry, exactly as
 * if recorded one by one. Refused records are reported by row with the reason. With `strict`, any
 * refused record refuses the whole file and nothing is stored (the source is read twice).
 */
export class ImportService {
  readonly #dnc: DncService
  readonly #consent: ConsentService

  constructor(dnc: DncService, consent: ConsentService) {
    this.#dnc = dnc
    this.#consent = consent
  }

  dncEntries(ctx: RequestContext, source: () => AsyncIterable<RawRecord>, options: ImportOptions): Promise<ImportReport> {
    return run(source, options, dncRecord, (items) => this.#dnc.addMany(ctx, items))
  }

  consents(ctx: RequestContext, source: () => AsyncIterable<RawRecord>, options: ImportOptions): Promise<ImportReport> {
    return run(source, options, grantRecord, (items) => this.#consent.grantMany(ctx, items))
  }
}

async function run<T>(source: () => AsyncIterable<RawRecord>, options: ImportOptions, parse: (r: RawRecord) => T, write: (items: T[]) => Promise<unknown>): Promise<ImportReport> {
  const refusals: ImportRefusal[] = []
  let refused = 0
  let rows = 0
  const refuse = (row: number, err: unknown): void => {
    refused++
    if (refusals.length >= MAX_LISTED) return
    if (err instanceof DialwardError) refusals.push({ row, field: err.field, code: err.code, message: err.message })
    else refusals.push({ row, field: null, code: 'INVALID_INPUT', message: String(err) })
  }
  const parsed = (r: RawRecord): T | null => {
    rows++
    if (r.problem !== undefined) {
      refuse(r.row, new DialwardError('INVALID_INPUT', r.problem, 'record'))
      return null
    }
    try {
      return parse(r)
    } catch (err) {
      if (!(err instanceof DialwardError)) throw err
      refuse(r.row, err)
      return null
    }
  }
  if (options.strict) {
    for await (const r of source()) parsed(r)
    if (refused > 0) return { rows, stored: 0, refused, refusals, refusalsTruncated: refused > refusals.length, rejected: true }
    rows = 0
  }
  let stored = 0
  let chunk: T[] = []
  for await (const r of source()) {
    const item = parsed(r)
    if (item === null) continue
    chunk.push(item)
    if (chunk.length >= CHUNK) {
      await write(chunk)
      stored += chunk.length
      chunk = []
    }
  }
  if (chunk.length > 0) {
    await write(chunk)
    stored += chunk.length
  }
  return { rows, stored, refused, refusals, refusalsTruncated: refused > refusals.length, rejected: false }
}
