import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Infrastructure } from '../../app/infrastructure.js'
import { requestContext } from '../../app/context.js'
import { isError } from '../../core/errors.js'
import { createKeyring } from '../../crypto/keyring.js'
import { FileKeyProvider } from '../../crypto/key-provider.js'
import { DataKeys } from './data-keys.js'
import { dialects } from '../../../test/support/cli.js'
import { testDatabase, type TestDatabase } from '../../../test/support/store.js'
import { tempDir } from '../../../test/support/temp-dir.js'

const NOW = Date.UTC(2026, 11, 1)
const ctx = requestContext('cli:test', 'admin')

/** Fails unless `p` rejects with `KEY_UNAVAILABLE` (fail closed). */
async function expectUnavailable(p: Promise<unknown>): Promise<void> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  )
  expect(isError(err, 'KEY_UNAVAILABLE'), String(err)).toBe(true)
}

/**
 * Data keys (`data_keys`): wrapped at rest, unwrapped once per process and cached; a destroyed key
 * fails closed, in this process at once and in every other one as soon as it has seen the `keys`
 * change counter move (cryptographic erase holds across processes, issue 8 item 6).
 */
describe.each(dialects())('data keys (%s)', (dialect) => {
  let t: TestDatabase
  /** Two processes over one database: each its own connection, repositories and caches. */
  let a: Infrastructure
  let b: Infrastructure

  beforeAll(async () => {
    t = await testDatabase(dialect)
    a = await t.infrastructure('create', () => NOW)
    b = await t.infrastructure('existing', () => NOW)
  })
  afterAll(async () => {
    await t?.dispose()
  })

  const create = (infra: Infrastructure, scope: 'subject' | 'registry' = 'subject') => infra.store.dialect.writeTransaction((trx) => infra.repos.dataKeys.create(trx, scope, NOW))

  it('creates a random 256-bit key, stores it only wrapped, and unwraps the same bytes in another process', async () => {
    const key = await create(a)
    expect(key.id).toMatch(/^dk_[0-9a-f-]{36}$/)
    expect(key.key).toHaveLength(32)
    const row = await a.store.db.selectFrom('data_keys').selectAll().where('id', '=', key.id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ scope: 'subject', alg: 'A256GCM', created_at: NOW, destroyed_at: null })
    expect(Buffer.from(row.wrapped!).includes(key.key)).toBe(false)
    expect((await b.repos.dataKeys.get(b.store.db, key.id)).equals(key.key)).toBe(true)
    const other = await create(a)
    expect(other.key.equals(key.key)).toBe(false)
  })

  it('an unknown key id fails closed', async () => {
    await expectUnavailable(a.repos.dataKeys.get(a.store.db, 'dk_nope'))
  })

  it('destroy drops the wrapped key, stamps it once, and the key fails closed at once in this process', async () => {
    const key = await create(a)
    expect((await a.repos.dataKeys.get(a.store.db, key.id)).equals(key.key)).toBe(true)
    await a.store.dialect.writeTransaction((trx) => a.repos.dataKeys.destroy(trx, key.id, NOW + 1))
    await expectUnavailable(a.repos.dataKeys.get(a.store.db, key.id))
    await a.store.dialect.writeTransaction((trx) => a.repos.dataKeys.destroy(trx, key.id, NOW + 2))
    const row = await a.store.db.selectFrom('data_keys').selectAll().where('id', '=', key.id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ wrapped: null, destroyed_at: NOW + 1 })
    await expectUnavailable(b.repos.dataKeys.get(b.store.db, key.id))
  })

  it('a destroy that rolls back keeps the key', async () => {
    const key = await create(a)
    await expect(
      a.store.dialect.writeTransaction(async (trx) => {
        await a.repos.dataKeys.destroy(trx, key.id, NOW)
        throw new Error('rolled back')
      }),
    ).rejects.toThrow('rolled back')
    expect((await a.repos.dataKeys.get(a.store.db, key.id)).equals(key.key)).toBe(true)
  })

  it('invalidate forgets the cached keys: a key destroyed elsewhere then fails closed', async () => {
    const key = await create(a)
    await a.repos.dataKeys.get(a.store.db, key.id)
    await b.store.dialect.writeTransaction((trx) => b.repos.dataKeys.destroy(trx, key.id, NOW))
    // cached: the other process's destroy is not seen until this one drops its cache
    expect((await a.repos.dataKeys.get(a.store.db, key.id)).equals(key.key)).toBe(true)
    a.repos.dataKeys.invalidate()
    await expectUnavailable(a.repos.dataKeys.get(a.store.db, key.id))
  })

  it('a key destroyed by another process is not served from the cache once StoreWatch.sync saw the keys counter move', async () => {
    await a.watch.sync(a.store.db)
    const key = await create(a)
    const aad = { table: 'subjects', rowId: 'sub_x', column: 'phone_ct' }
    const sealed = await a.store.dialect.writeTransaction((trx) => a.repos.sealer.seal(trx, key.id, aad, 'secret'))
    expect(await a.repos.sealer.open(a.store.db, aad, sealed)).toBe('secret')

    // the other process erases: destroys the key in an audited write that changes `keys`
    await b.uow.write(ctx, 'test.erase', async (tx) => {
      await b.repos.dataKeys.destroy(tx.db, key.id, tx.now)
      tx.changed('keys')
      return { result: null, audit: { subject: null, data: { key: key.id } } }
    })

    const versions = await a.watch.sync(a.store.db)
    expect(versions.keys).toBeGreaterThanOrEqual(1)
    await expectUnavailable(a.repos.dataKeys.get(a.store.db, key.id))
    await expectUnavailable(a.repos.sealer.open(a.store.db, aad, sealed))
  })

  it('a sync that sees no change to keys keeps the cache (no key is unwrapped again)', async () => {
    const key = await create(a)
    await a.watch.sync(a.store.db)
    await a.repos.dataKeys.get(a.store.db, key.id)
    // destroyed behind Dialward's back, without the counter: the cache is what this process uses
    await b.store.db.updateTable('data_keys').set({ wrapped: null, destroyed_at: NOW }).where('id', '=', key.id).execute()
    await a.watch.sync(a.store.db)
    expect((await a.repos.dataKeys.get(a.store.db, key.id)).equals(key.key)).toBe(true)
  })

  it('shared scopes have one live key, reused until destroyed, then a new one', async () => {
    const first = await a.store.dialect.writeTransaction((trx) => a.repos.dataKeys.shared(trx, 'disclosures', NOW))
    const again = await b.store.dialect.writeTransaction((trx) => b.repos.dataKeys.shared(trx, 'disclosures', NOW))
    expect(again.id).toBe(first.id)
    expect(again.key.equals(first.key)).toBe(true)
    await a.store.dialect.writeTransaction((trx) => a.repos.dataKeys.destroy(trx, first.id, NOW))
    const next = await a.store.dialect.writeTransaction((trx) => a.repos.dataKeys.shared(trx, 'disclosures', NOW))
    expect(next.id).not.toBe(first.id)
  })

  it('a key does not unwrap under another keyring (fails closed, no key material in the message)', async () => {
    const key = await create(a)
    const stranger = new DataKeys(new FileKeyProvider(createKeyring(join(tempDir('stranger'), 'keyring.json'))))
    const err = await stranger.get(a.store.db, key.id).then(
      () => null,
      (e: unknown) => e,
    )
    expect(isError(err, 'KEY_UNAVAILABLE')).toBe(true)
    expect((err as Error).message).toMatch(/does not unwrap/)
    expect((err as Error).message).not.toContain(key.key.toString('hex'))
  })
})
