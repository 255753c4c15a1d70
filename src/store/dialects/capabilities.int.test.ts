import { existsSync, readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import BetterSqlite3 from 'better-sqlite3'
import fc from 'fast-check'
import type { Database, Executor } from '../schema.js'
import type { Store } from '../store.js'
import { AuditLogRepo } from '../repos/audit-log.js'
import { dialects, onlyOn } from '../../../test/support/cli.js'
import { testDatabase, type TestDatabase } from '../../../test/support/store.js'

type DecisionRow = Database['decisions']
type PageRow = Database['registry_pages']

/** Text that COPY's text format and both engines' drivers must carry unchanged. */
const AWKWARD_TEXT = ['', ' ', '\t', '\n', '\r\n', '\\', '\\N', '\\\\N', '\\x41', '"quoted"', "it's", 'tab\there', 'new\nline', 'back\\slash', 'é', 'ß', '漢字', '🙂', '𝄞', '\u2028', 'a\u0001b', 'NULL', 'null'] as const
/** Any text without NUL (PostgreSQL text cannot hold U+0000), mixing full-Unicode code points and the awkward pieces. */
const anyText = fc
  .array(fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom(...AWKWARD_TEXT)), { maxLength: 6 })
  .map((parts) => parts.join(''))
  .filter((s) => !s.includes('\u0000'))
/** Integers in the whole safe range (instants are integer milliseconds; both engines store 64-bit integers). */
const anyInt = fc.oneof(fc.maxSafeInteger(), fc.constantFrom(0, -1, 1, 2 ** 31, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER))

let batch = 0
/** Decision rows with unique ids, every column drawn from its whole domain (nulls included). */
const decisionRows = fc.array(
  fc.record({
    phone_bidx: fc.option(anyText, { nil: null }),
    campaign_id: anyText,
    source: anyText,
    at: anyInt,
    verdict: anyText,
    reasons: anyText,
    next_allowed_at: fc.option(anyInt, { nil: null }),
    versions: anyText,
    decided_at: anyInt,
  }),
  { minLength: 1, maxLength: 25 },
)
const withIds = (rows: Array<Omit<DecisionRow, 'id'>>): DecisionRow[] => {
  batch++
  return rows.map((r, i) => ({ id: `b${batch}-${i}`, ...r }))
}

/** One row as the database returns it, normalized the way the repositories read it (bytes as Buffer). */
const pageOf = (r: PageRow): PageRow => ({ version_id: r.version_id, prefix: Number(r.prefix), page_ct: Buffer.from(r.page_ct) })

/**
 * The capabilities of each engine (store/dialects), against the real database: SQLite in a temp
 * directory and the throw-away PostgreSQL of the test run.
 */
describe.each(dialects())('dialect capabilities (%s)', (dialect) => {
  const pgOnly = onlyOn(dialect, 'postgres')
  const sqliteOnly = onlyOn(dialect, 'sqlite')
  let t: TestDatabase
  let store: Store

  beforeAll(async () => {
    t = await testDatabase(dialect)
    store = await t.open()
    // registry pages need their version and its data key (foreign keys)
    await store.db.insertInto('data_keys').values({ id: 'dk_pages', scope: 'registry', kek_id: 'kek', alg: 'A256GCM', wrapped: Buffer.from([1]), created_at: 0, destroyed_at: null }).execute()
    await store.db
      .insertInto('registry_versions')
      .values({ id: 'rv_pages', registry: 'us-national', as_of: 0, imported_at: 0, key_id: 'dk_pages', numbers: 0, lines: 0, content_sha256: '0'.repeat(64) })
      .execute()
  })
  afterAll(async () => {
    await t?.dispose()
  })

  const setting = async (ex: Executor, key: string): Promise<string | null> => (await ex.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value ?? null

  describe('writeTransaction', () => {
    it('commits what the function wrote and returns its value; another connection sees it', async () => {
      const value = await store.dialect.writeTransaction(async (trx) => {
        await trx.insertInto('settings').values({ key: 'tx.commit', value: 'kept' }).execute()
        expect(await setting(trx, 'tx.commit')).toBe('kept')
        return 42
      })
      expect(value).toBe(42)
      const other = await t.open()
      expect(await setting(other.db, 'tx.commit')).toBe('kept')
    })

    it('rolls everything back when the function throws, rethrows the same error, and stays usable', async () => {
      const boom = new Error('boom')
      await expect(
        store.dialect.writeTransaction(async (trx) => {
          await trx.insertInto('settings').values({ key: 'tx.rollback', value: 'lost' }).execute()
          await trx.updateTable('settings').set({ value: 'changed' }).where('key', '=', 'tx.commit').execute()
          throw boom
        }),
      ).rejects.toBe(boom)
      expect(await setting(store.db, 'tx.rollback')).toBeNull()
      expect(await setting(store.db, 'tx.commit')).toBe('kept')
      await store.dialect.writeTransaction(async (trx) => trx.insertInto('settings').values({ key: 'tx.after', value: 'ok' }).execute())
      expect(await setting(store.db, 'tx.after')).toBe('ok')
    })
  })

  describe('bulkLoad', () => {
    const readDecisions = async (ids: readonly string[]): Promise<DecisionRow[]> =>
      ids.length === 0 ? [] : store.db.selectFrom('decisions').selectAll().where('id', 'in', ids).orderBy('id').execute()
    const sortById = (rows: readonly DecisionRow[]): DecisionRow[] => [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

    it('round-trips awkward decision rows exactly: nulls, escapes, quotes, Unicode, large integers', async () => {
      const rows: DecisionRow[] = AWKWARD_TEXT.map((text, i) => ({
        id: `awkward-${String(i).padStart(2, '0')}`,
        phone_bidx: i % 3 === 0 ? null : text,
        campaign_id: text,
        source: `${text}|${text}`,
        at: Number.MAX_SAFE_INTEGER - i,
        verdict: text,
        reasons: JSON.stringify([{ code: 'X', message: text }]),
        next_allowed_at: i % 2 === 0 ? null : -(2 ** 40) - i,
        versions: `{"v":${JSON.stringify(text)}}`,
        decided_at: 2 ** 52 + i,
      }))
      await store.dialect.bulkLoad('decisions', rows)
      expect(await readDecisions(rows.map((r) => r.id))).toEqual(rows)
    })

    it('round-trips any decision rows exactly (property)', async () => {
      await fc.assert(
        fc.asyncProperty(decisionRows, async (drawn) => {
          const rows = withIds(drawn)
          await store.dialect.bulkLoad('decisions', rows)
          expect(await readDecisions(rows.map((r) => r.id))).toEqual(sortById(rows))
        }),
        { numRuns: 40 },
      )
    })

    it('loads more rows than one COPY chunk, every one intact', async () => {
      const rows: DecisionRow[] = Array.from({ length: 4_500 }, (_, i) => ({
        id: `many-${String(i).padStart(5, '0')}`,
        phone_bidx: i % 7 === 0 ? null : `bidx\t${i}`,
        campaign_id: 'c',
        source: 'run\\1',
        at: 1_764_000_000_000 + i,
        verdict: i % 2 === 0 ? 'allow' : 'block',
        reasons: '[]',
        next_allowed_at: null,
        versions: '{"runSet":0}',
        decided_at: 1_764_000_000_000,
      }))
      await store.dialect.bulkLoad('decisions', rows)
      const back = await store.db.selectFrom('decisions').selectAll().where('id', 'like', 'many-%').orderBy('id').execute()
      expect(back).toHaveLength(rows.length)
      expect(back).toEqual(rows)
    })

    it('round-trips registry pages byte for byte (every byte value, empty pages, large prefixes)', async () => {
      const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
      const rows: PageRow[] = [
        { version_id: 'rv_pages', prefix: 0, page_ct: every },
        { version_id: 'rv_pages', prefix: 1, page_ct: Buffer.alloc(0) },
        { version_id: 'rv_pages', prefix: 2, page_ct: Buffer.from('\\N\t\n\\x00', 'latin1') },
        { version_id: 'rv_pages', prefix: Number.MAX_SAFE_INTEGER, page_ct: Buffer.alloc(1_250, 0xff) },
      ]
      await store.dialect.bulkLoad('registry_pages', rows)
      const back = await store.db.selectFrom('registry_pages').selectAll().where('prefix', 'in', rows.map((r) => r.prefix)).orderBy('prefix').execute()
      expect(back.map(pageOf)).toEqual(rows.map(pageOf))
    })

    it('round-trips any registry pages byte for byte (property)', async () => {
      let next = 1_000
      await fc.assert(
        fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 1_500 }), { minLength: 1, maxLength: 12 }), async (pages) => {
          const rows: PageRow[] = pages.map((bytes) => ({ version_id: 'rv_pages', prefix: next++, page_ct: Buffer.from(bytes) }))
          await store.dialect.bulkLoad('registry_pages', rows)
          const back = await store.db.selectFrom('registry_pages').selectAll().where('prefix', '>=', rows[0]!.prefix).where('prefix', '<=', rows.at(-1)!.prefix).orderBy('prefix').execute()
          expect(back.map(pageOf)).toEqual(rows.map(pageOf))
        }),
        { numRuns: 25 },
      )
    })

    it('loads all rows or none: a duplicate key refuses the whole batch', async () => {
      const row = (id: string): DecisionRow => ({ id, phone_bidx: null, campaign_id: 'c', source: 's', at: 1, verdict: 'allow', reasons: '[]', next_allowed_at: null, versions: '{}', decided_at: 1 })
      await expect(store.dialect.bulkLoad('decisions', [row('dup-a'), row('dup-b'), row('dup-a')])).rejects.toThrow()
      expect(await readDecisions(['dup-a', 'dup-b'])).toEqual([])
      await store.dialect.bulkLoad('decisions', [row('dup-c')])
      expect(await readDecisions(['dup-c'])).toHaveLength(1)
    })

    it('loads nothing for no rows', async () => {
      await store.dialect.bulkLoad('decisions', [])
    })
  })

  describe('lockAuditLog', () => {
    const WRITERS = 4
    const EACH = 15

    it(`serializes concurrent appenders: ${WRITERS} writers × ${EACH} entries get gap-free, unique seqs`, async () => {
      // PostgreSQL: one connection pool per writer, as several processes would. SQLite: writers
      // share the process's one connection (other processes wait on BEGIN IMMEDIATE's busy timeout).
      const stores = dialect === 'postgres' ? await Promise.all(Array.from({ length: WRITERS }, () => t.open())) : Array.from({ length: WRITERS }, () => store)
      const before = await new AuditLogRepo(store.dialect).size(store.db)
      const appended = await Promise.all(
        stores.map((s, w) =>
          (async () => {
            const log = new AuditLogRepo(s.dialect)
            const seqs: number[] = []
            for (let i = 0; i < EACH; i++) {
              seqs.push(await s.dialect.writeTransaction((trx) => log.append(trx, { actor: `writer-${w}`, at: i, action: 'test.append', subject: null, data: { i } })))
            }
            return seqs
          })(),
        ),
      )
      const all = appended.flat().sort((a, b) => a - b)
      expect(all).toEqual(Array.from({ length: WRITERS * EACH }, (_, i) => before + i))
      const rows = await store.db.selectFrom('audit_log').select(['seq', 'actor', 'data']).where('action', '=', 'test.append').orderBy('seq').execute()
      expect(rows.map((r) => r.seq)).toEqual(all)
      for (let w = 0; w < WRITERS; w++) {
        expect(rows.filter((r) => r.actor === `writer-${w}`).map((r) => JSON.parse(r.data).i)).toEqual(Array.from({ length: EACH }, (_, i) => i))
      }
      expect(await new AuditLogRepo(store.dialect).size(store.db)).toBe(before + WRITERS * EACH)
    })
  })

  describe('reclaimDeleted', () => {
    const MARKER = 'reclaim-marker-7f3c9a'

    it('reports a complete reclaim once deleted rows are gone', async () => {
      await store.dialect.bulkLoad(
        'decisions',
        Array.from({ length: 50 }, (_, i) => ({ id: `gone-${i}`, phone_bidx: `${MARKER}-${i}`, campaign_id: 'c', source: 's', at: i, verdict: 'allow', reasons: '[]', next_allowed_at: null, versions: '{}', decided_at: i })),
      )
      await store.dialect.writeTransaction((trx) => trx.deleteFrom('decisions').where('id', 'like', 'gone-%').execute())
      const outcome = await store.dialect.reclaimDeleted(['decisions'], 5_000)
      expect(outcome.complete).toBe(true)
      expect(outcome.attempts).toBeGreaterThanOrEqual(1)
      expect(outcome.physical).toMatch(dialect === 'sqlite' ? /secure_delete=ON \+ wal_checkpoint\(TRUNCATE\) not busy/ : /VACUUM/)
    })

    sqliteOnly('leaves no byte of a deleted row in the database file or its WAL', async () => {
      if (t.target.kind !== 'sqlite') throw new Error('sqlite only')
      const path = t.target.path
      expect(readFileSync(path).includes(MARKER)).toBe(false)
      expect(existsSync(`${path}-wal`) && readFileSync(`${path}-wal`).includes(MARKER)).toBe(false)
    })

    sqliteOnly('reports an incomplete reclaim while a reader holds an old snapshot', async () => {
      if (t.target.kind !== 'sqlite') throw new Error('sqlite only')
      await store.dialect.writeTransaction((trx) => trx.insertInto('settings').values({ key: 'reclaim.wal', value: 'x' }).execute())
      const reader = new BetterSqlite3(t.target.path, { readonly: true })
      try {
        reader.prepare('BEGIN').run()
        reader.prepare('SELECT count(*) FROM settings').get()
        await store.dialect.writeTransaction((trx) => trx.deleteFrom('settings').where('key', '=', 'reclaim.wal').execute())
        const outcome = await store.dialect.reclaimDeleted(['settings'], 100)
        expect(outcome.complete).toBe(false)
        expect(outcome.physical).toMatch(/still busy/)
      } finally {
        reader.close()
      }
      expect((await store.dialect.reclaimDeleted(['settings'], 5_000)).complete).toBe(true)
    }, 60_000)
  })

  describe('change notification', () => {
    sqliteOnly('SQLite cannot push: subscribeChanges is null and notifyChange is a no-op inside a transaction', async () => {
      expect(await store.dialect.subscribeChanges(() => undefined)).toBeNull()
      await store.dialect.writeTransaction((trx) => store.dialect.notifyChange(trx, 'subjects'))
    })

    pgOnly('delivers a committed topic to another connection within a second, and never a rolled-back one', async () => {
      const received: string[] = []
      let wake: () => void = () => undefined
      const listener = await t.open()
      const stop = await listener.dialect.subscribeChanges((topic) => {
        received.push(topic)
        wake()
      })
      expect(stop).not.toBeNull()
      try {
        const writer = await t.open()
        const arrived = (topic: string): Promise<void> =>
          new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`${topic} not delivered within 1 s (got ${JSON.stringify(received)})`)), 1_000)
            wake = () => {
              if (received.includes(topic)) {
                clearTimeout(timer)
                resolve()
              }
            }
            wake()
          })
        await expect(
          writer.dialect.writeTransaction(async (trx) => {
            await writer.dialect.notifyChange(trx, 'registries')
            throw new Error('rolled back')
          }),
        ).rejects.toThrow('rolled back')
        const subjects = arrived('subjects')
        await writer.dialect.writeTransaction((trx) => writer.dialect.notifyChange(trx, 'subjects'))
        await subjects
        const keys = arrived('keys')
        await writer.dialect.writeTransaction((trx) => writer.dialect.notifyChange(trx, 'keys'))
        await keys
        expect(received).toEqual(['subjects', 'keys'])
      } finally {
        await stop?.()
      }
    })
  })
})
