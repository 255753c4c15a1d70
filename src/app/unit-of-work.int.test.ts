import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Infrastructure } from './infrastructure.js'
import { requestContext } from './context.js'
import { DialwardError } from '../core/errors.js'
import { sellerKey, type Campaign } from '../core/gate/campaign.js'
import { changes, type ChangeTopic } from '../store/repos/changes.js'
import { dialects } from '../../test/support/cli.js'
import { testDatabase, type TestDatabase } from '../../test/support/store.js'

let clock = Date.UTC(2026, 11, 1, 12)
const campaign = (id: string): Campaign => ({ id, seller: 'Acme', sellerKey: sellerKey('Acme'), purpose: 'marketing', dialing: 'manual', channel: 'voice' })

/**
 * The one audited unit of work (ADR 0007): the change and its audit entry (with the request's
 * actor) commit together or not at all; a refused or failed write leaves no change and no entry,
 * and one refusal row with its error code; declared topics bump their change counters.
 */
describe.each(dialects())('unit of work (%s)', (dialect) => {
  let t: TestDatabase
  let infra: Infrastructure
  const dropped: ChangeTopic[] = []
  const ctx = requestContext('key:k1:dialer-a', 'dialer', 'req-1')

  beforeAll(async () => {
    t = await testDatabase(dialect)
    infra = await t.infrastructure('create', () => clock)
    for (const topic of ['subjects', 'registries', 'keys', 'campaigns', 'emergencies'] as const) infra.watch.on(topic, () => dropped.push(topic))
  })
  afterAll(async () => {
    await t?.dispose()
  })

  const db = () => infra.store.db
  const auditRows = () => db().selectFrom('audit_log').selectAll().orderBy('seq').execute()
  const refusals = () => db().selectFrom('audit_refusals').selectAll().orderBy('at').execute()
  const campaignIds = async () => (await db().selectFrom('campaigns').select('id').orderBy('id').execute()).map((r) => r.id)

  it('commits the write with its audit entry: the context actor, the action, the unit of work instant, the note', async () => {
    clock += 1_000
    const before = await auditRows()
    dropped.length = 0
    const result = await infra.uow.write(ctx, 'campaign.add', async (tx) => {
      expect(tx.now).toBe(clock)
      await infra.repos.campaigns.insert(tx.db, campaign('c1'), tx.now)
      tx.changed('campaigns')
      return { result: 'added', audit: { subject: 'b1d0c0de', data: { campaign: 'c1', n: 1 } } }
    })
    expect(result).toBe('added')
    expect(await campaignIds()).toContain('c1')
    const after = await auditRows()
    expect(after).toHaveLength(before.length + 1)
    expect(after.at(-1)).toMatchObject({ seq: before.length, at: clock, actor: 'key:k1:dialer-a', action: 'campaign.add', subject: 'b1d0c0de' })
    // the note's data, then the digest of the one covered row it wrote (ADR 0011)
    expect(after.at(-1)!.data).toMatch(/^\{"campaign":"c1","n":1,"ledgerRows":1,"ledgerSha256":"[0-9a-f]{64}"\}$/)
    expect(after.at(-1)!.actor).not.toBe(infra.config.cliActor)
    expect(dropped).toEqual(['campaigns'])
  })

  it('each request is audited under its own actor', async () => {
    const other = requestContext('cli:operator', 'admin')
    await infra.uow.write(other, 'campaign.add', async (tx) => {
      await infra.repos.campaigns.insert(tx.db, campaign('c2'), tx.now)
      return { result: null, audit: { subject: null, data: { campaign: 'c2' } } }
    })
    expect((await auditRows()).at(-1)).toMatchObject({ actor: 'cli:operator', action: 'campaign.add', subject: null })
  })

  it('bumps the change counter of every declared topic once per write, and no other', async () => {
    const before = await changes.versions(db())
    await infra.uow.write(ctx, 'test.touch', async (tx) => {
      tx.changed('subjects')
      tx.changed('keys')
      tx.changed('subjects')
      return { result: null, audit: { subject: null, data: {} } }
    })
    const after = await changes.versions(db())
    expect(after).toEqual({ ...before, subjects: before.subjects + 1, keys: before.keys + 1 })
  })

  it('a write that changed nothing the log covers (audit null) commits without an audit entry', async () => {
    const before = (await auditRows()).length
    await infra.uow.write(ctx, 'test.bookkeeping', async (tx) => {
      await infra.repos.settings.put(tx.db, 'test.bookkeeping', 'c3')
      return { result: null, audit: null }
    })
    expect(await infra.repos.settings.get(db(), 'test.bookkeeping')).toBe('c3')
    expect(await auditRows()).toHaveLength(before)
  })

  it('a write that changes a covered row without an audit entry is refused and rolled back', async () => {
    const before = (await auditRows()).length
    await expect(
      infra.uow.write(ctx, 'campaign.add', async (tx) => {
        await infra.repos.campaigns.insert(tx.db, campaign('c3'), tx.now)
        return { result: null, audit: null }
      }),
    ).rejects.toMatchObject({ code: 'INTERNAL' })
    expect(await campaignIds()).not.toContain('c3')
    expect(await auditRows()).toHaveLength(before)
  })

  it('a refused write rolls back, appends no audit entry, bumps nothing, and records one refusal with its code', async () => {
    clock += 1_000
    const audit = await auditRows()
    const versions = await changes.versions(db())
    const refused = await refusals()
    dropped.length = 0
    const err = new DialwardError('CAMPAIGN_EXISTS', 'exists with other attributes', 'id')
    await expect(
      infra.uow.write(requestContext('key:k2:ops', 'compliance', 'req-refused'), 'campaign.add', async (tx) => {
        await infra.repos.campaigns.insert(tx.db, campaign('c-refused'), tx.now)
        tx.changed('campaigns')
        throw err
      }),
    ).rejects.toBe(err)
    expect(await campaignIds()).not.toContain('c-refused')
    expect(await auditRows()).toEqual(audit)
    expect(await changes.versions(db())).toEqual(versions)
    expect(dropped).toEqual([])
    const now = await refusals()
    expect(now).toHaveLength(refused.length + 1)
    expect(now.at(-1)).toMatchObject({ at: clock, actor: 'key:k2:ops', role: 'compliance', request_id: 'req-refused', action: 'campaign.add', code: 'CAMPAIGN_EXISTS' })
  })

  it('the audit entry is in the same transaction: when appending it fails, the change is rolled back too', async () => {
    const audit = await auditRows()
    const refused = (await refusals()).length
    await expect(
      infra.uow.write(ctx, 'campaign.add', async (tx) => {
        await infra.repos.campaigns.insert(tx.db, campaign('c-unaudited'), tx.now)
        // an entry the audit log refuses (its subject must be a blind index): the append throws after the change was written
        return { result: null, audit: { subject: 'Not a blind index', data: {} } }
      }),
    ).rejects.toThrow(/invalid audit entry/)
    expect(await campaignIds()).not.toContain('c-unaudited')
    expect(await auditRows()).toEqual(audit)
    const now = await refusals()
    expect(now).toHaveLength(refused + 1)
    expect(now.at(-1)).toMatchObject({ actor: ctx.actor, role: 'dialer', request_id: 'req-1', code: 'INTERNAL' })
  })

  it('concurrent writes get gap-free audit seqs and every counter bump', async () => {
    const others = dialect === 'postgres' ? [infra, await t.infrastructure('existing', () => clock)] : [infra, infra]
    const before = { size: (await auditRows()).length, versions: await changes.versions(db()) }
    await Promise.all(
      others.flatMap((i, w) =>
        Array.from({ length: 8 }, (_, n) =>
          i.uow.write(ctx, 'test.concurrent', async (tx) => {
            tx.changed('emergencies')
            return { result: null, audit: { subject: null, data: { w, n } } }
          }),
        ),
      ),
    )
    const rows = await auditRows()
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i))
    expect(rows.filter((r) => r.action === 'test.concurrent')).toHaveLength(16)
    expect(rows).toHaveLength(before.size + 16)
    expect((await changes.versions(db())).emergencies).toBe(before.versions.emergencies + 16)
  })
})
