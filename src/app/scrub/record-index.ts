import { PagedBitset } from '../../core/dnc/paged-bitset.js'
import { PackedRegistry, type PackedRegistryData } from '../../core/dnc/packed-registry.js'
import { areasOf, encodeArea } from '../../core/dnc/area-encoding.js'
import { normalizePhone } from '../../core/phone/normalize.js'
import type { Executor } from '../../store/schema.js'
import type { Repositories } from '../../store/repos/index.js'
import { CALL_LOOKBACK, gateRecord, type SubjectRecord } from '../gate/gate-record.js'
import { callsSince, readVerified } from '../gate/verified-records.js'
import type { RecordIndex } from './scrub-engine.js'

/** A {@link RecordIndex} as plain data, for worker threads. */
export interface RecordIndexData {
  readonly nanp: PackedRegistryData
  readonly byE164: ReadonlyArray<readonly [e164: string, bidx: string, record: SubjectRecord]>
  readonly byBidx: ReadonlyArray<readonly [bidx: string, record: SubjectRecord]> | null
}

/** What loading the records cost and found (for the run record). */
export interface RecordIndexStats {
  readonly numbers: number
  /** Records known only by blind index: every row then gets its blind index computed. */
  readonly byBlindIndexOnly: number
}

/**
 * Every number with a gate record (consent, do-not-call, reassigned, recent calls, suppression),
 * read once: the subjects' numbers are decrypted into an in-memory set (never stored) so that a
 * row without a record costs one bit test; records whose number is unknown (suppression entries
 * left by erasures) are kept by blind index. With `byBlindIndex` (many records, few rows) nothing
 * is decrypted and every row's blind index is computed instead.
 *
 * The files are verified against their scope heads and the audit log first (ADR 0011), as `check`
 * verifies them: a row deleted, changed or added behind Dialward is `AUDIT_TAMPERED` and nothing
 * is scrubbed.
 */
export async function loadRecordIndex(repos: Repositories, db: Executor, at: number, byBlindIndex: boolean): Promise<{ index: RecordIndex; data: RecordIndexData; stats: RecordIndexStats }> {
  const files = await readVerified(db, repos, { all: true })
  const since = at - CALL_LOOKBACK
  const phones = byBlindIndex ? new Map<string, string>() : await repos.subjects.phones(db)
  const numbers = new PagedBitset()
  const byE164 = new Map<string, { bidx: string; record: SubjectRecord }>()
  const byBidx = new Map<string, SubjectRecord>()
  for (const file of files.values()) {
    const record = gateRecord(callsSince(file, since))
    if (record === undefined) continue
    const e164 = file.subject === null ? undefined : phones.get(file.subject.id)
    const phone = e164 === undefined ? null : normalizePhone(e164)
    if (phone === null || !phone.ok) {
      byBidx.set(file.bidx, record)
      continue
    }
    byE164.set(phone.phone.e164, { bidx: file.bidx, record })
    if (phone.phone.callingCode === '1') numbers.add(Number(phone.phone.national))
  }
  const nanp = PackedRegistry.build(
    areasOf(numbers).map((area) => ({ area, bytes: encodeArea(numbers, area)!.bytes })),
    true,
  )
  const hasOrphans = byBidx.size > 0
  const index: RecordIndex = {
    nanp,
    byE164,
    byBidx: hasOrphans ? byBidx : null,
    indexOf: hasOrphans ? (e164: string) => repos.subjects.bidxOfE164(e164) : null,
  }
  const data: RecordIndexData = {
    nanp: nanp.data,
    byE164: [...byE164].map(([e164, r]) => [e164, r.bidx, r.record] as const),
    byBidx: hasOrphans ? [...byBidx] : null,
  }
  return { index, data, stats: { numbers: byE164.size, byBlindIndexOnly: byBidx.size } }
}

/** The index over plain data (a worker thread's copy); `indexOf` computes blind indexes there. */
export function recordIndexFrom(data: RecordIndexData, indexOf: ((e164: string) => string) | null): RecordIndex {
  return {
    nanp: PackedRegistry.from(data.nanp),
    byE164: new Map(data.byE164.map(([e164, bidx, record]) => [e164, { bidx, record }])),
    byBidx: data.byBidx === null ? null : new Map(data.byBidx),
    indexOf: data.byBidx === null ? null : indexOf,
  }
}
