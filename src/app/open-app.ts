import type { Kysely } from 'kysely'
import type { AppConfig } from './config.js'
import type { Database } from '../store/schema.js'
import type { Capabilities } from '../store/dialects/capabilities.js'
import type { Store } from '../store/store.js'
import type { Keyring } from '../crypto/keyring.js'
import type { BlindIndexer } from '../crypto/blind-index.js'
import type { DataKeys } from '../store/repos/data-keys.js'
import type { Infrastructure } from './infrastructure.js'

/**
 * Legacy bridge: the wired application as the commands not yet moved onto services see it.
 * Built only by the composition root from the same infrastructure the services use; removed
 * when the last such command moves.
 */
export interface App {
  readonly config: AppConfig & { readonly actor: string }
  readonly db: Kysely<Database>
  readonly dialect: Capabilities
  readonly store: Store
  readonly keyring: Keyring
  readonly dataKeys: DataKeys
  readonly blindIndexer: BlindIndexer
  /** Wall clock, read at the edge and passed inward. */
  now(): number
}

/** The legacy view of the infrastructure. */
export function legacyApp(infra: Infrastructure): App {
  return {
    config: { ...infra.config, actor: infra.config.cliActor },
    db: infra.store.db,
    dialect: infra.store.dialect,
    store: infra.store,
    keyring: infra.keyring,
    dataKeys: infra.repos.dataKeys,
    blindIndexer: infra.blindIndexer,
    now: infra.clock,
  }
}
