import { existsSync, mkdirSync } from 'node:fs'
import type { Kysely } from 'kysely'
import type { AppConfig } from './config.js'
import { DataKeys } from './data-keys.js'
import { openDatabase } from '../store/open-database.js'
import { migrateToLatest } from '../store/migrate.js'
import type { Database } from '../store/schema.js'
import type { DialectName } from '../store/dialect-name.js'
import { bulkInserter, type BulkInsert } from '../store/bulk-insert.js'
import { createKeyring, loadKeyring, type Keyring } from '../crypto/keyring.js'
import { FileKeyProvider } from '../crypto/key-provider.js'
import { BlindIndexer } from '../crypto/blind-index.js'
import { DialwardError, notFound } from '../core/errors.js'

/** The wired application: database, keys and clock. Built only here (the composition root). */
export interface App {
  readonly config: AppConfig
  readonly db: Kysely<Database>
  readonly dialect: DialectName
  /** Appends many rows in one transaction by the dialect's fastest path (bulk scrub's decision log). */
  readonly bulkInsert: BulkInsert
  readonly keyring: Keyring
  readonly dataKeys: DataKeys
  readonly blindIndexer: BlindIndexer
  /** Wall clock, read at the edge and passed inward. */
  now(): number
  close(): Promise<void>
}

export type OpenMode = 'create' | 'existing'

/**
 * Opens the data directory. `create` (commands that write new facts) creates the directory,
 * the keyring (mode 0600) and the database on first use; `existing` refuses to create anything
 * and reports a missing data directory as an unknown-reference error.
 */
export async function openApp(config: AppConfig, mode: OpenMode): Promise<App> {
  const sqlite = config.database.kind === 'sqlite'
  if (mode === 'existing' && sqlite && !existsSync(config.database.path)) {
    throw notFound('--data', `no Dialward data at ${config.dataDir} (run "dialward init" or record something first)`)
  }
  if (mode === 'create') mkdirSync(config.dataDir, { recursive: true, mode: 0o700 })
  let keyring: Keyring
  if (existsSync(config.keyringPath)) keyring = loadKeyring(config.keyringPath)
  else if (mode === 'create') keyring = createKeyring(config.keyringPath)
  else throw new DialwardError('unavailable', 'KEYRING_MISSING', `keyring not found at ${config.keyringPath}: refusing to decide without keys`)

  const handle = await openDatabase(config.database)
  try {
    await migrateToLatest(handle.db as Kysely<unknown>, handle.dialect)
    await bindKeyring(handle.db, keyring)
  } catch (err) {
    await handle.close()
    throw err
  }
  return {
    config,
    db: handle.db,
    dialect: handle.dialect,
    bulkInsert: bulkInserter(handle),
    keyring,
    dataKeys: new DataKeys(new FileKeyProvider(keyring)),
    blindIndexer: new BlindIndexer(keyring),
    now: () => Date.now(),
    close: () => handle.close(),
  }
}

/** Ties a database to one keyring: a database opened with another keyring fails closed. */
async function bindKeyring(db: Kysely<Database>, keyring: Keyring): Promise<void> {
  const id = keyring.blindIndexKeyId
  const row = await db.selectFrom('settings').select('value').where('key', '=', 'keyring.blind_index_key_id').executeTakeFirst()
  if (!row) {
    await db.insertInto('settings').values({ key: 'keyring.blind_index_key_id', value: id }).onConflict((oc) => oc.doNothing()).execute()
    return
  }
  if (row.value !== id) {
    throw new DialwardError('unavailable', 'KEYRING_MISMATCH', 'the keyring does not belong to this database: refusing to continue')
  }
}
