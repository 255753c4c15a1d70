import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Infrastructure } from '../../app/infrastructure.js'
import { requirePhone } from '../../app/input.js'
import { requestContext } from '../../app/context.js'
import type { Campaign } from '../../core/gate/campaign.js'
import { sellerKey } from '../../core/gate/campaign.js'
import type { Executor } from '../schema.js'
import type { Subject } from './subjects.js'
import type { ReadOptions, SubjectFile, SubjectSelection } from './subject-records.js'
import { dialects } from '../../../test/support/cli.js'
import { testDatabase, type TestDatabase } from '../../../test/support/store.js'

const T = (iso: string): number => Date.parse(iso)
const NOW = T('2026-12-01T00:00:00Z')
const CAMPAIGN: Campaign = { id: 'c1', seller: 'Acme', sellerKey: sellerKey('Acme'), purpose: 'marketing', dialing: 'autodialed', channel: 'voice' }
const CALLS = [T('2026-11-01T10:00:00Z'), T('2026-11-20T10:00:00Z'), T('2026-11-30T10:00:00Z')] as const

const CONSENT_FACTS = ['id', 'subject_id', 'type', 'seller', 'seller_key', 'kind', 'channel', 'via', 'at', 'disclosure_id', 'recorded_at']
const CONSENT_SEALED = ['source_ct', 'ip_ct', 'user_agent_ct', 'words_ct', 'trustedform_ct', 'leadid_ct']
const DNC_FACTS = ['id', 'subject_id', 'seller', 'seller_key', 'at', 'recorded_at']
const SUBJECT_FACTS = ['id', 'phone_bidx', 'key_id', 'created_at']
const keys = (row: object | null): string[] => Object.keys(row ?? {}).sort()

/**
 * `subjectRecords.read`, the one reader of a number's rows (gate, retention, evidence, export and
 * re-keying): every selection mode, facts versus sealed columns, suppression entries that outlive
 * their subject, the calls window, and lists longer than one `IN (…)` chunk.
 */
describe.each(dialects())('subject records (%s)', (dialect) => {
  let t: TestDatabase
  let infra: Infrastructure
  let one: Subject
  let two: Subject
  /** A number erased earlier: only suppression entries remain under its blind index. */
  let erasedBidx: string
  /** A number never recorded. */
  let unknownBidx: string

  const read = <S extends boolean>(selection: SubjectSelection, options: ReadOptions<S>) => infra.repos.subjectRecords.read(infra.store.db, selection, options)
  const suppression = (ex: Executor, id: string, bidx: string, at: number) =>
    ex.insertInto('suppressions').values({ id, phone_bidx: bidx, seller_key: null, at, origin: 'erasure', created_at: NOW }).execute()

  beforeAll(async () => {
    t = await testDatabase(dialect)
    infra = await t.infrastructure('create', () => NOW)
    const { repos } = infra
    erasedBidx = repos.subjects.bidxOf(requirePhone('phone', '+13052000003'))
    unknownBidx = repos.subjects.bidxOf(requirePhone('phone', '+13052000004'))
    // covered rows are written inside an audited unit of work (the row ledger refuses others, ADR 0011)
    await infra.uow.write(requestContext('test:setup', 'admin'), 'test.setup', async ({ db: trx }) => {
      await repos.campaigns.insert(trx, CAMPAIGN, NOW)
      one = await repos.subjects.ensure(trx, requirePhone('phone', '+13052000001'), NOW)
      two = await repos.subjects.ensure(trx, requirePhone('phone', '+13052000002'), NOW)
      // written out of order: the reader returns each list in the order it happened
      await repos.consent.appendRevocation(trx, one, { seller: 'Acme', via: 'sms', at: T('2026-11-15T00:00:00Z'), words: 'STOP calling' }, NOW)
      await repos.consent.appendGrant(trx, one, { seller: 'Acme', kind: 'written', channel: 'any', at: T('2026-10-01T00:00:00Z'), disclosureId: null, source: 'https://acme.example/form', ip: '203.0.113.7', userAgent: 'Mozilla/5.0' }, NOW)
      await repos.consent.appendGrant(trx, one, { seller: 'Acme', kind: 'express', channel: 'voice', at: T('2026-09-01T00:00:00Z'), disclosureId: null, source: null, ip: null, userAgent: null }, NOW)
      await repos.dnc.add(trx, one, { seller: 'Acme', at: T('2026-11-16T00:00:00Z'), source: 'agent note' }, NOW)
      await repos.dnc.add(trx, two, { seller: null, at: T('2026-11-02T00:00:00Z'), source: null }, NOW)
      await repos.reassigned.add(trx, one, { date: T('2026-08-01T00:00:00Z'), result: 'no', queriedAt: NOW }, NOW)
      for (const at of [CALLS[2], CALLS[0], CALLS[1]]) await repos.calls.add(trx, one, { campaign: CAMPAIGN, at, outcome: 'answered', durationSeconds: 30 }, NOW)
      await suppression(trx, 'sup_erased', erasedBidx, T('2026-06-01T00:00:00Z'))
      await suppression(trx, 'sup_one', one.bidx, T('2026-11-16T00:00:00Z'))
      return { result: undefined, audit: { subject: null, data: {} } }
    })
  })
  afterAll(async () => {
    await t?.dispose()
  })

  it('by blind index: every number asked about, with its rows in the order they happened', async () => {
    const files = await read({ bidx: [one.bidx, two.bidx, erasedBidx, unknownBidx] }, { sealed: false })
    expect([...files.keys()].sort()).toEqual([one.bidx, two.bidx, erasedBidx, unknownBidx].sort())
    const f = files.get(one.bidx)!
    expect(f.subject).toMatchObject({ id: one.id, phone_bidx: one.bidx, key_id: one.keyId, created_at: NOW })
    expect(f.consent.map((c) => [c.type, c.kind, c.at])).toEqual([
      ['grant', 'express', T('2026-09-01T00:00:00Z')],
      ['grant', 'written', T('2026-10-01T00:00:00Z')],
      ['revoke', null, T('2026-11-15T00:00:00Z')],
    ])
    expect(f.consent[2]).toMatchObject({ seller: 'Acme', seller_key: sellerKey('Acme'), via: 'sms', subject_id: one.id, recorded_at: NOW })
    expect(f.dnc.map((d) => [d.seller, d.at])).toEqual([['Acme', T('2026-11-16T00:00:00Z')]])
    expect(f.reassigned.map((r) => [r.date, r.result])).toEqual([[T('2026-08-01T00:00:00Z'), 'no']])
    expect(f.calls.map((c) => c.at)).toEqual([...CALLS])
    expect(f.calls[0]).toMatchObject({ campaign_id: 'c1', seller_key: CAMPAIGN.sellerKey, outcome: 'answered', duration_s: 30 })
    expect(f.suppressions.map((s) => s.id)).toEqual(['sup_one'])

    const g = files.get(two.bidx)!
    expect(g.subject?.id).toBe(two.id)
    expect(g.dnc.map((d) => [d.seller, d.seller_key])).toEqual([[null, null]])
    expect([g.consent, g.reassigned, g.calls, g.suppressions]).toEqual([[], [], [], []])
  })

  it('a number erased earlier: no subject, its suppression entries still found by blind index', async () => {
    const f = (await read({ bidx: [erasedBidx] }, { sealed: false })).get(erasedBidx)!
    expect(f.subject).toBeNull()
    expect(f.suppressions).toEqual([{ id: 'sup_erased', phone_bidx: erasedBidx, seller_key: null, at: T('2026-06-01T00:00:00Z'), origin: 'erasure', created_at: NOW }])
    expect([f.consent, f.dnc, f.reassigned, f.calls]).toEqual([[], [], [], []])
  })

  it('a number never recorded: an empty file, not an absent one', async () => {
    const f = (await read({ bidx: [unknownBidx] }, { sealed: false })).get(unknownBidx)
    expect(f).toEqual({ bidx: unknownBidx, subject: null, consent: [], dnc: [], reassigned: [], calls: [], suppressions: [], contacts: [] } satisfies SubjectFile)
  })

  it('by subject id: only those subjects', async () => {
    const files = await read({ ids: [two.id] }, { sealed: false })
    expect([...files.keys()]).toEqual([two.bidx])
    expect(files.get(two.bidx)!.dnc).toHaveLength(1)
    expect((await read({ ids: ['sub_nope'] }, { sealed: false })).size).toBe(0)
  })

  it('all: every subject and every blind index that only has suppressions', async () => {
    const files = await read({ all: true }, { sealed: false })
    expect([...files.keys()].sort()).toEqual([one.bidx, two.bidx, erasedBidx].sort())
    expect(files.get(one.bidx)!.calls).toHaveLength(3)
    expect(files.get(one.bidx)!.suppressions.map((s) => s.id)).toEqual(['sup_one'])
    expect(files.get(erasedBidx)!.subject).toBeNull()
  })

  it('facts only: no sealed column is read', async () => {
    const f = (await read({ bidx: [one.bidx] }, { sealed: false })).get(one.bidx)!
    expect(keys(f.subject)).toEqual([...SUBJECT_FACTS].sort())
    for (const c of f.consent) expect(keys(c)).toEqual([...CONSENT_FACTS].sort())
    for (const d of f.dnc) expect(keys(d)).toEqual([...DNC_FACTS].sort())
  })

  it('sealed: the encrypted columns too, which open to exactly what was recorded', async () => {
    const f = (await read({ bidx: [one.bidx] }, { sealed: true })).get(one.bidx)!
    expect(keys(f.subject)).toEqual([...SUBJECT_FACTS, 'phone_ct'].sort())
    for (const c of f.consent) expect(keys(c)).toEqual([...CONSENT_FACTS, ...CONSENT_SEALED].sort())
    expect(keys(f.dnc[0]!)).toEqual([...DNC_FACTS, 'source_ct'].sort())
    const { sealer, subjects } = infra.repos
    const db = infra.store.db
    const open = (table: string, rowId: string, column: string, blob: Uint8Array | null) => sealer.open(db, { table, rowId, column }, blob)
    expect(await subjects.openPhone(db, one.id, f.subject!.phone_ct)).toBe('+13052000001')
    const written = f.consent[1]!
    expect(await open('consent_events', written.id, 'source_ct', written.source_ct)).toBe('https://acme.example/form')
    expect(await open('consent_events', written.id, 'ip_ct', written.ip_ct)).toBe('203.0.113.7')
    expect(await open('consent_events', written.id, 'user_agent_ct', written.user_agent_ct)).toBe('Mozilla/5.0')
    expect(written.words_ct).toBeNull()
    expect(f.consent[0]!.source_ct).toBeNull()
    const revoke = f.consent[2]!
    expect(await open('consent_events', revoke.id, 'words_ct', revoke.words_ct)).toBe('STOP calling')
    expect(await open('dnc_entries', f.dnc[0]!.id, 'source_ct', f.dnc[0]!.source_ct)).toBe('agent note')
    // bound to its row: the same ciphertext does not open as another row's column
    await expect(open('consent_events', revoke.id, 'ip_ct', revoke.words_ct)).rejects.toThrow()
  })

  it('callsSince: only calls at or after the instant (inclusive), other rows unaffected', async () => {
    const f = (await read({ bidx: [one.bidx] }, { sealed: false, callsSince: CALLS[1] })).get(one.bidx)!
    expect(f.calls.map((c) => c.at)).toEqual([CALLS[1], CALLS[2]])
    expect(f.consent).toHaveLength(3)
    const all = (await read({ all: true }, { sealed: false, callsSince: CALLS[2] + 1 })).get(one.bidx)!
    expect(all.calls).toEqual([])
  })

  it('reads more numbers than one IN (…) chunk, each with its own rows', async () => {
    const N = 450
    const phones = Array.from({ length: N }, (_, i) => `+1212555${String(1000 + i).padStart(4, '0')}`)
    const made = await infra.uow.write(requestContext('test:setup', 'admin'), 'test.setup', async ({ db: trx }) => {
      const out: Subject[] = []
      for (const [i, p] of phones.entries()) {
        const s = await infra.repos.subjects.ensure(trx, requirePhone('phone', p), NOW)
        await infra.repos.dnc.add(trx, s, { seller: null, at: NOW + i, source: null }, NOW)
        if (i % 2 === 0) await suppression(trx, `sup_many_${i}`, s.bidx, NOW + i)
        out.push(s)
      }
      return { result: out, audit: { subject: null, data: {} } }
    })
    const files = await read({ bidx: made.map((s) => s.bidx) }, { sealed: false })
    expect(files.size).toBe(N)
    for (const [i, s] of made.entries()) {
      const f = files.get(s.bidx)!
      expect(f.subject?.id).toBe(s.id)
      expect(f.dnc.map((d) => d.at)).toEqual([NOW + i])
      expect(f.suppressions.map((x) => x.id)).toEqual(i % 2 === 0 ? [`sup_many_${i}`] : [])
    }
    const byId = await read({ ids: made.map((s) => s.id) }, { sealed: false })
    expect(byId.size).toBe(N)

    const paged: string[] = []
    for (let after: string | null = null; ; ) {
      const page = await infra.repos.subjectRecords.idPage(infra.store.db, after, 100)
      paged.push(...page)
      if (page.length < 100) break
      after = page.at(-1)!
    }
    expect(paged).toHaveLength(N + 2)
    expect(paged).toEqual([...paged].sort())
    expect(new Set(paged)).toEqual(new Set([one.id, two.id, ...made.map((s) => s.id)]))
  })
})
