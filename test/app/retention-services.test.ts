import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../../src/app/config.js'
import { compose, type Services } from '../../src/app/compose.js'
import { requestContext } from '../../src/app/context.js'
import { requireInstant, requirePhone } from '../../src/app/input.js'
import { isError } from '../../src/core/errors.js'
import { parseRegistryId } from '../../src/core/dnc/registry-id.js'
import { changes } from '../../src/store/repos/changes.js'
import { dialects } from '../support/cli.js'
import { createTestDatabase, dropTestDatabase } from '../support/postgres.js'
import { testPostgresUrl } from '../support/postgres-url.js'

const ctx = requestContext('cli:retention-test', 'admin', 'req-retention-1')
const PHONE = requirePhone('phone', '+13055550161')
const at = (s: string): number => requireInstant('at', s)

/**
 * The retention and hold services in process, over each database: every write is one audited unit
 * of work (refusals recorded apart), declares the change topics other processes' caches depend
 * on, and every receipt proves the entry of its run.
 */
describe.each(dialects())('retention services (%s)', (dialect) => {
  let s: Services
  let dir: string
  let dbUrl: string | null = null

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dialward-retention-svc-'))
    const admin = testPostgresUrl()
    if (dialect === 'postgres') dbUrl = await createTestDatabase(admin!)
    s = await compose(loadConfig({ data: join(dir, 'data') }, { ...process.env, DIALWARD_DATABASE_URL: dbUrl ?? '', DIALWARD_RULE_PACK: '' }), 'create')
    await s.campaigns.add(ctx, { id: 'mkt', seller: 'Acme', purpose: 'marketing', dialing: 'autodialed', channel: 'voice' })
  }, 120_000)
  afterAll(async () => {
    await s?.close()
    if (dbUrl) await dropTestDatabase(testPostgresUrl()!, dbUrl)
    rmSync(dir, { recursive: true, force: true })
  })

  const db = () => s.infra.store.db
  const entries = async (action: string) => (await s.infra.repos.auditLog.entries(db())).filter((e) => e.action === action)

  it('audits a hold with the actor of the request and the reason only as a digest; a refused add changes nothing and is recorded as a refusal', async () => {
    const reason = 'Smith v. Acme (canary-reason-h1)'
    const placed = await s.holds.add(ctx, { id: 'H-1', reason, scope: { kind: 'phone', phone: PHONE }, until: null })
    expect(placed).toMatchObject({ id: 'H-1', scope: 'phone', reason, active: true })
    const err = await s.holds.add(ctx, { id: 'H-1', reason: 'again', scope: { kind: 'all' }, until: null }).catch((e: unknown) => e)
    expect(isError(err, 'HOLD_EXISTS')).toBe(true)
    expect((await s.holds.list(ctx)).map((h) => h.id)).toEqual(['H-1'])
    const [entry, ...more] = await entries('hold.add')
    expect(more).toEqual([])
    expect(entry).toMatchObject({ actor: 'cli:retention-test', subject: s.infra.repos.subjects.bidxOf(PHONE), data: { hold: 'H-1', reasonSha256: createHash('sha256').update(reason).digest('hex') } })
    expect(JSON.stringify(entry)).not.toContain('canary-reason-h1')
    const refusals = await s.infra.repos.refusals.recent(db(), 10)
    expect(refusals).toContainEqual(expect.objectContaining({ action: 'hold.add', code: 'HOLD_EXISTS', actor: ctx.actor, requestId: ctx.requestId }))

    const released = await s.holds.release(ctx, 'H-1')
    expect(released).toMatchObject({ id: 'H-1', active: false })
    await s.holds.release(ctx, 'H-1')
    expect(await entries('hold.release')).toHaveLength(1)
    expect(isError(await s.holds.release(ctx, 'nope').catch((e: unknown) => e), 'UNKNOWN_HOLD')).toBe(true)
  })

  it('an erasure bumps the subjects and keys counters, and its receipt proves its own audit entry', async () => {
    await s.consent.grant(ctx, { phone: PHONE, seller: 'Acme', kind: 'written', at: at('2020-01-01'), channel: 'any', disclosure: null, source: null, ip: '198.51.100.5', userAgent: null })
    await s.consent.revoke(ctx, { phone: PHONE, at: at('2020-06-01'), seller: null, via: null, words: null })
    const before = await changes.versions(db())
    const r = await s.retention.erase(ctx, { phone: PHONE, at: at('2031-01-01') })
    expect(r.deleted).toMatchObject({ 'consent-evidence': 1, 'contact-pii': 1 })
    const after = await changes.versions(db())
    expect(after.subjects).toBeGreaterThan(before.subjects)
    expect(after.keys).toBeGreaterThan(before.keys)
    const receipt = JSON.parse(readFileSync(r.receipt, 'utf8')) as { audit: { seq: number } }
    const [erase] = await entries('subject.erase')
    expect(erase!.seq).toBe(receipt.audit.seq)
    const done = (await entries('retention.receipt')).find((e) => e.data['run'] === r.runId)
    expect(done?.data['receiptSha256']).toBe(createHash('sha256').update(readFileSync(r.receipt)).digest('hex'))
    const run = await s.infra.repos.retentionRuns.get(db(), r.runId)
    expect(run).toMatchObject({ kind: 'erasure', status: 'done', auditSeq: receipt.audit.seq, receiptPath: r.receipt })
  })

  it('purging a superseded registry version destroys its key and bumps the registries and keys counters; a dry run changes nothing', async () => {
    const file = join(dir, 'us.txt')
    writeFileSync(file, '305,2000001\n305,2000002\n')
    await s.registry.import(ctx, { registry: parseRegistryId('us-national')!, file, asOf: at('2026-01-01'), skipInvalid: false })
    await s.registry.import(ctx, { registry: parseRegistryId('us-national')!, file, asOf: at('2026-02-01'), skipInvalid: false })
    const before = await changes.versions(db())
    const size = await s.infra.repos.auditLog.size(db())
    const dry = await s.retention.dryRun(ctx, { at: at('2040-01-01') })
    expect(dry.deleted['registry-versions']).toBe(1)
    expect(await s.infra.repos.auditLog.size(db())).toBe(size)
    expect(await changes.versions(db())).toEqual(before)

    const r = await s.retention.purge(ctx, { at: at('2040-01-01') })
    expect(r.deleted['registry-versions']).toBe(1)
    const after = await changes.versions(db())
    expect(after.registries).toBeGreaterThan(before.registries)
    expect(after.keys).toBeGreaterThan(before.keys)
    expect((await s.infra.repos.registries.versions(db())).map((v) => v.asOf)).toEqual([at('2026-02-01')])
    const purge = (await entries('retention.purge')).find((e) => e.data['run'] === r.runId)!
    expect(JSON.parse(readFileSync(r.receipt!, 'utf8')).audit.seq).toBe(purge.seq)
    expect((await entries('retention.purge.start')).some((e) => e.data['run'] === r.runId)).toBe(true)
    expect((await entries('retention.purge.registry-version')).filter((e) => e.data['run'] === r.runId).at(-1)!.data).toMatchObject({ versionDeleted: true })
  })
})
