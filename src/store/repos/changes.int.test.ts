import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Store } from '../store.js'
import { changes, CHANGE_TOPICS } from './changes.js'
import { dialects, onlyOn } from '../../../test/support/cli.js'
import { testDatabase, type TestDatabase } from '../../../test/support/store.js'

/** The change counters (`changes`): how other processes learn that their caches are stale. */
describe.each(dialects())('change counters (%s)', (dialect) => {
  const pgOnly = onlyOn(dialect, 'postgres')
  let t: TestDatabase
  let store: Store

  beforeAll(async () => {
    t = await testDatabase(dialect)
    store = await t.open()
  })
  afterAll(async () => {
    await t?.dispose()
  })

  it('every topic starts at version 0', async () => {
    expect(await changes.versions(store.db)).toEqual(Object.fromEntries(CHANGE_TOPICS.map((topic) => [topic, 0])))
  })

  it('a bump raises one topic by one, and each further bump by one more; other topics stay', async () => {
    await store.dialect.writeTransaction((trx) => changes.bump(trx, store.dialect, 'subjects'))
    expect(await changes.versions(store.db)).toMatchObject({ subjects: 1, registries: 0, keys: 0, campaigns: 0, emergencies: 0 })
    await store.dialect.writeTransaction(async (trx) => {
      await changes.bump(trx, store.dialect, 'subjects')
      await changes.bump(trx, store.dialect, 'subjects')
      await changes.bump(trx, store.dialect, 'keys')
    })
    expect(await changes.versions(store.db)).toEqual({ subjects: 3, registries: 0, keys: 1, campaigns: 0, emergencies: 0, apikeys: 0 })
  })

  it('a rolled-back bump changes nothing', async () => {
    await expect(
      store.dialect.writeTransaction(async (trx) => {
        await changes.bump(trx, store.dialect, 'registries')
        throw new Error('rolled back')
      }),
    ).rejects.toThrow('rolled back')
    expect((await changes.versions(store.db)).registries).toBe(0)
  })

  it('another connection reads the versions committed by this one', async () => {
    const other = await t.open()
    await store.dialect.writeTransaction((trx) => changes.bump(trx, store.dialect, 'campaigns'))
    expect(await changes.versions(other.db)).toEqual(await changes.versions(store.db))
    expect((await changes.versions(other.db)).campaigns).toBe(1)
  })

  it('concurrent bumps are all counted', async () => {
    const before = (await changes.versions(store.db)).emergencies
    const stores = dialect === 'postgres' ? await Promise.all([t.open(), t.open(), t.open()]) : [store, store, store]
    await Promise.all(stores.flatMap((s) => Array.from({ length: 10 }, () => s.dialect.writeTransaction((trx) => changes.bump(trx, s.dialect, 'emergencies')))))
    expect((await changes.versions(store.db)).emergencies).toBe(before + 30)
  })

  pgOnly('a committed bump notifies listeners of its topic', async () => {
    const listener = await t.open()
    let deliver: (topic: string) => void = () => undefined
    const got = new Promise<string>((resolve) => (deliver = resolve))
    const stop = await listener.dialect.subscribeChanges((topic) => deliver(topic))
    try {
      await store.dialect.writeTransaction((trx) => changes.bump(trx, store.dialect, 'registries'))
      expect(await got).toBe('registries')
    } finally {
      await stop?.()
    }
  })
})
