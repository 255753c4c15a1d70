import { existsSync, mkdirSync, statSync } from 'node:fs'
import type { Kysely } from 'kysely'
import type { AppConfig } from './config.js'
import { DialwardError, invalidInput, notFound } from '../core/errors.js'
import { openStore, storeExists, type Store } from '../store/store.js'
import { migrateToLatest } from '../store/migrate.js'
import { loadKeyring, type Keyring } from '../crypto/keyring.js'
import { ReloadingKeyProvider } from '../crypto/reloading-key-provider.js'
import { BlindIndexer } from '../crypto/blind-index.js'
import { DataKeys } from '../store/repos/data-keys.js'
import { createRepositories, type Repositories } from '../store/repos/index.js'
import { AuditLogRepo } from '../store/repos/audit-log.js'
import { bindKeyring, bindingStale, isBound, refreshBinding, requireBinding } from './keys/keyring-binding.js'
import { adoptPendingKeyring, finishPendingKeyring, pendingKeyring } from './keys/pending-keyring.js'
import { requireNotRolledBack } from './audit/rollback-guard.js'
import { recordReinitialization, retireCheckpointFile, type RetiredCheckpoints } from './audit/reinitialize.js'
import { adoptRows } from './audit/adopt-rows.js'
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
 * and the database on first use; `existing` refuses to create anything; `reinitialize` (the
 * operator starts over: `dialward init --reinitialize`) creates a missing or empty database bound
 * to the existing keyring, or accepts a database behind the checkpoint file, and either way sets
 * the checkpoint file aside (renamed, kept) and signs the first checkpoint of a new one (over the
 * log as it stands, its re-initialization entry included) instead of forking the old one;
 * `inspect` (`audit verify`) is `existing` that opens a database behind the checkpoint file, so
 * that verification can report it (the audit service then applies the same check).
 */
export type OpenMode = 'create' | 'existing' | 'reinitialize' | 'inspect'

/**
 * Opens the data directory: keyring, database (migrated), repositories and unit of work. Fails
 * closed (ADR 0011): a database that is missing or empty beside an existing keyring is never
 * recreated (`STORE_MISSING`); a keyring whose keys are not the ones the database was bound to is
 * refused (`KEYRING_MISMATCH`); a database behind the checkpoint file is refused
 * (`STORE_ROLLED_BACK`). A fresh installation is bound before its keyring file appears, so a
 * keyring file always means a database was bound to it.
 */
export async function openInfrastructure(config: AppConfig, mode: OpenMode, clock: () => number = Date.now): Promise<Infrastructure> {
  checkDataDir(config.dataDir)
  const keyringExists = existsSync(config.keyringPath)
  const reinitialize = mode === 'reinitialize'
  const creates = mode === 'create' || reinitialize
  if (!storeExists(config.database)) {
    if (keyringExists && !reinitialize) throw storeMissing(config, 'is missing')
    if (!creates) throw notFound('data', `no Dialward data at ${config.dataDir} (run "dialward init" or record something first)`)
  }
  if (creates) mkdirSync(config.dataDir, { recursive: true, mode: 0o700 })

  let store: Store
  try {
    store = await openStore(config.database)
  } catch (err) {
    throw new DialwardError('STORE_UNAVAILABLE', `cannot open the database: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`)
  }
  let keyring: Keyring
  let retired: RetiredCheckpoints | null = null
  try {
    // an empty database (no tables yet: the query fails) beside a keyring is refused before anything is written to it
    const bound = await isBound(store.db).catch(() => false)
    if (!bound && keyringExists && !reinitialize) throw storeMissing(config, 'is empty')
    try {
      await migrateToLatest(store.db as Kysely<unknown>, store.dialect.types)
    } catch (err) {
      throw new DialwardError('STORE_UNAVAILABLE', `cannot use the database: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`)
    }
    if (!bound) {
      if (!keyringExists && !creates) throw new DialwardError('KEYRING_MISSING', `keyring not found at ${config.keyringPath}: refusing to decide without keys`)
      keyring = keyringExists ? loadKeyring(config.keyringPath) : pendingKeyring(config.keyringPath)
      const k = keyring
      await store.dialect.writeTransaction((trx) => bindKeyring(trx, k))
      if (!keyringExists) adoptPendingKeyring(config.keyringPath)
      if (reinitialize) retired = retireCheckpointFile(config.checkpointPath, clock())
    } else {
      if (!existsSync(config.keyringPath)) await finishPendingKeyring(store, config.keyringPath)
      keyring = loadKeyring(config.keyringPath)
      await requireBinding(store.db, keyring)
      const k = keyring
      if (await bindingStale(store.db, k)) await store.dialect.writeTransaction((trx) => refreshBinding(trx, k))
      if (reinitialize) retired = retireCheckpointFile(config.checkpointPath, clock())
      else if (mode !== 'inspect') await requireNotRolledBack(store.db, new AuditLogRepo(store.dialect), config.checkpointPath)
    }
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
  const uow = new UnitOfWork(store, repos.auditLog, watch, clock, new RowLedger(mac, store.dialect))
  try {
    await adoptRows({ store, repos, uow })
    if (retired !== null) await recordReinitialization(uow, { store, keyring, config }, retired, clock())
  } catch (err) {
    await store.close()
    throw err
  }
  return { config, store, keyring, blindIndexer, repos, watch, uow, clock }
}

function storeMissing(config: AppConfig, what: string): DialwardError {
  return new DialwardError(
    'STORE_MISSING',
    `the database ${what} although ${config.keyringPath} exists (a database was initialized with this keyring): refusing to create a new one; restore the database, or start over with "dialward init --reinitialize"`,
  )
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
