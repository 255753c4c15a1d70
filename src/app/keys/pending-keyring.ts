import { existsSync, linkSync, unlinkSync } from 'node:fs'
import { dirname } from 'node:path'
import { createKeyring, loadKeyring, type Keyring } from '../../crypto/keyring.js'
import { KeyringError } from '../../crypto/keyring-error.js'
import { fsyncDirectory } from '../../crypto/atomic-file.js'
import type { Store } from '../../store/store.js'
import { bindingProblems } from './keyring-binding.js'

/**
 * A new installation's keyring is written beside its final name (`keyring.json.new`) and takes
 * that name only once the database is bound to it: a keyring file therefore always means that a
 * database was initialized with it (and a missing database beside it is an error, never a fresh
 * start). A crash in between leaves the `.new` file, which the next open adopts.
 */
const pendingPath = (path: string): string => `${path}.new`

/** The keyring a new installation binds its database to: the pending file left by a crash, or a new one. */
export function pendingKeyring(path: string): Keyring {
  const pending = pendingPath(path)
  return existsSync(pending) ? loadKeyring(pending) : createKeyring(pending)
}

/** Gives the pending keyring its final name (never replacing an existing keyring file). */
export function adoptPendingKeyring(path: string): void {
  const pending = pendingPath(path)
  try {
    linkSync(pending, path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new KeyringError('exists', `keyring ${path} already exists; refusing to overwrite it`)
    throw new KeyringError('io', `keyring ${path} cannot be written (${(err as NodeJS.ErrnoException).code ?? 'unknown error'})`)
  }
  unlinkSync(pending)
  fsyncDirectory(dirname(path))
}

/** A bound database whose keyring file is missing: adopts the pending keyring when it is the one the database was bound to. */
export async function finishPendingKeyring(store: Store, path: string): Promise<void> {
  const pending = pendingPath(path)
  if (!existsSync(pending)) return
  const keyring = loadKeyring(pending)
  if ((await bindingProblems(store.db, keyring)).length === 0) adoptPendingKeyring(path)
}
