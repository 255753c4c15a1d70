import type { Keyring } from '../../crypto/keyring.js'

/** What a receipt says about copies of the destroyed data keys in backups (ADR 0014). */
export interface BackupExposure {
  /**
   * The KEKs a copy of a destroyed data key held in a backup taken before the erase may be wrapped
   * under: the KEK each key was wrapped under when destroyed, and every KEK retired before (a
   * backup older than a rotation holds the key wrapped under the KEK of its time).
   */
  readonly keks: readonly string[]
  readonly statement: string
}

/** The erase a receipt claims, judged against the keyring as it is now. */
export interface EraseStatus {
  /** `complete`: every KEK of `backups.keks` is gone; `pending-key-prune`: some are still in the keyring; `none`: no data key was destroyed. */
  readonly erase: 'complete' | 'pending-key-prune' | 'none'
  /** The KEKs of the receipt still in the keyring (prune them: `keys rotate`, then `keys prune`). */
  readonly pendingKeks: readonly string[]
}

const PENDING =
  'backups taken before this erase still hold the destroyed data keys wrapped under these KEKs and remain decryptable with any keyring that holds one of them, until every one is pruned ("dialward keys rotate", then "dialward keys prune"); old copies of the keyring file must be destroyed too'
const NOTHING = 'no data key was destroyed'

/** The backup exposure of the data keys destroyed by a run (`wrappedUnder`: their KEKs, from `DataKeys.keksOf`). */
export function backupExposure(wrappedUnder: readonly string[], keyring: Keyring): BackupExposure {
  if (wrappedUnder.length === 0) return { keks: [], statement: NOTHING }
  const retired = keyring.keks.filter((k) => k.state === 'retired').map((k) => k.id)
  return { keks: [...new Set([...wrappedUnder, ...retired])].sort(), statement: PENDING }
}

/** Whether the erase a receipt's backup KEKs describe is complete now (none of them left in `keyring`). */
export function eraseStatus(keks: readonly string[], keyring: Keyring): EraseStatus {
  if (keks.length === 0) return { erase: 'none', pendingKeks: [] }
  const pendingKeks = keks.filter((id) => keyring.kekKey(id) !== undefined)
  return { erase: pendingKeks.length === 0 ? 'complete' : 'pending-key-prune', pendingKeks }
}
