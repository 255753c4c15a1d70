import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { loadConfig, type AppConfig } from '../../src/app/config.js'
import { openInfrastructure, type Infrastructure, type OpenMode } from '../../src/app/infrastructure.js'
import { migrateToLatest } from '../../src/store/migrate.js'
import { openStore, type DatabaseTarget, type Store } from '../../src/store/store.js'
import { createTestDatabase, dropTestDatabase } from './postgres.js'
import { testPostgresUrl } from './postgres-url.js'
import { removeTempDir, tempDir } from './temp-dir.js'

/** A throw-away database on one engine, migrated, with as many connections to it as a test opens. */
export interface TestDatabase {
  readonly dialect: 'sqlite' | 'postgres'
  /** The data directory (keyring, SQLite file). */
  readonly dataDir: string
  readonly target: DatabaseTarget
  /** The configuration of an installation over this database. */
  readonly config: AppConfig
  /** Opens another connection (a pool on PostgreSQL) to the database, migrated; closed by `dispose`. */
  open(): Promise<Store>
  /**
   * Opens the whole infrastructure over the database, as another process would: its own
   * connection, keyring load, repositories, caches and unit of work; closed by `dispose`.
   */
  infrastructure(mode?: OpenMode, clock?: () => number): Promise<Infrastructure>
  /** Closes every connection, drops the PostgreSQL database and removes the directory. */
  dispose(): Promise<void>
}

/** Creates an empty database on `dialect` (SQLite in a temp directory; a fresh PostgreSQL database). */
export async function testDatabase(dialect: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  const home = tempDir('store')
  const dataDir = join(home, 'data')
  const admin = testPostgresUrl()
  let url: string | null = null
  if (dialect === 'postgres') {
    if (!admin) throw new Error('no PostgreSQL server for this test run')
    url = await createTestDatabase(admin)
  }
  const config = loadConfig({ data: dataDir }, { DIALWARD_DATABASE_URL: url ?? '', DIALWARD_ACTOR: 'cli:test' })
  const closers: Array<() => Promise<void>> = []
  return {
    dialect,
    dataDir,
    target: config.database,
    config,
    async open() {
      const store = await openStore(config.database)
      closers.push(() => store.close())
      await migrateToLatest(store.db as Kysely<unknown>, store.dialect.types)
      return store
    },
    async infrastructure(mode = 'create', clock = Date.now) {
      const infra = await openInfrastructure(config, mode, clock)
      closers.push(() => infra.store.close())
      return infra
    },
    async dispose() {
      try {
        for (const close of closers.reverse()) await close().catch(() => undefined)
        if (url && admin) await dropTestDatabase(admin, url)
      } finally {
        removeTempDir(home)
      }
    },
  }
}
