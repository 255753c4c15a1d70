import { existsSync, mkdirSync, statSync } from 'node:fs'
import type { Kysely } from 'kysely'
import type { AppConfig } from './config.js'
import { DialwardError, invalidInput, notFound } from '../core/errors.js'
import { openStore, storeExists, type Store } from '../store/store.js'
import { migrateToLatest } from '../store/migrate.js'
import { createKeyring, loadKeyring, type Keyring } from '../crypto/keyring.js'
import { ReloadingKeyProvider } from '../crypto/reloading-key-provider.js'
import { BlindIndexer } from '../crypto/blind-index.js'
import { DataKeys } from '../store/repos/data-keys.js'
import { createRepositories, type Repositories } from '../store/repos/index.js'
import { settings } from '../store/repos/settings.js'
import { StoreWatch } from './indexes/store-watch.js'
import { UnitOfWork } from './unit-of-work.js'
import { CoverageMac } from '../crypto/coverage-mac.js'
import { RowLedger } from '../store/repos/row-ledger.js'

/** What every service is built from: the store, the keys, the repositories, the unit of work and the clock. */
export interface Infrastructure {
  readonly config: AppConfig
  readonly store: Store
  readonly keyring: Keyring
  readonly blindIndexer: BlindIndexer
  readonly repos: Repositories
  readonly watch: StoreWatch
  readonly uow: UnitOfWork
  /** Wall clock, read at the edge and passed inward. */
  readonly clock: () => number
}

/**
 * `create` (commands that write new facts) creates the data directory, the keyring (mode 0600)
 * and the database on first use; `existing` refuses to create anything.
 */
export type OpenMode = 'create' | 'existing'

const KEYRING_BINDING = 'keyring.blind_index_key_id'

/** Opens the data directory: keyring, database (migrated), repositories and unit of work. */
export async function openInfrastructure(config: AppConfig, mode: OpenMode, clock: () => number = Date.now): Promise<Infrastructure> {
  checkDataDir(config.dataDir)
  if (mode === 'existing' && !storeExists(config.database)) {
    throw notFound('data', `no Dialward data at ${config.dataDir} (run "dialward init" or record something first)`)
  }
  if (mode === 'create') mkdirSync(config.dataDir, { recursive: true, mode: 0o700 })
  let keyring: Keyring
  if (existsSync(config.keyringPath)) keyring = loadKeyring(config.keyringPath)
  else if (mode === 'create') keyring = createKeyring(config.keyringPath)
  else throw new DialwardError('KEYRING_MISSING', `keyring not found at ${config.keyringPath}: refusing to decide without keys`)

  let store: Store
  try {
    store = await openStore(config.database)
  } catch (err) {
    throw new DialwardError('STORE_UNAVAILABLE', `cannot open the database: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`)
  }
  try {
    await migrateToLatest(store.db as Kysely<unknown>, store.dialect.types)
    await bindKeyring(store, keyring)
  } catch (err) {
    await store.close()
    throw err
  }
  const blindIndexer = new BlindIndexer(keyring)
  const provider = new ReloadingKeyProvider(keyring, () => loadKeyring(config.keyringPath))
  const dataKeys = new DataKeys(provider)
  const mac = new CoverageMac(keyring)
  const repos = createRepositories(store.dialect, blindIndexer, dataKeys, mac)
  const watch = new StoreWatch()
  watch.on('keys', () => {
    dataKeys.invalidate()
    // another process may have rotated the key-encryption key: wrap new data keys under the file's active one
    try {
      provider.reload()
    } catch {
      // the keyring file is unreadable: unwrapping fails closed, and readiness reports it
    }
  })
  const uow = new UnitOfWork(store, repos.auditLog, watch, clock, new RowLedger(mac))
  return { config, store, keyring, blindIndexer, repos, watch, uow, clock }
}

/**
 * The data directory must be a directory when it exists: `--data /dev/null` or a regular file is
 * bad input (exit 2 naming `--data`), found by a stat alone — nothing is opened or written there.
 * A missing directory is fine (`create` makes it; `existing` reports it).
 */
function checkDataDir(dir: string): void {
  try {
    if (!statSync(dir).isDirectory()) throw invalidInput('data', `${dir} exists and is not a directory`)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return
    if (code === 'ENOTDIR') throw invalidInput('data', `${dir} lies under a file that is not a directory`)
    throw err
  }
}

/** Ties a database to one keyring: a database opened with another keyring fails closed. */
async function bindKeyring(store: Store, keyring: Keyring): Promise<void> {
  const bound = await settings.putIfAbsent(store.db, KEYRING_BINDING, keyring.blindIndexKeyId)
  if (bound !== keyring.blindIndexKeyId) {
    throw new DialwardError('KEYRING_MISMATCH', 'the keyring does not belong to this database: refusing to continue')
  }
}
