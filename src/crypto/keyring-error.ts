import { DialwardError, type ErrorCode } from '../core/errors.js'

/** Stable reasons a keyring cannot be created, loaded or rotated. */
export type KeyringErrorCode = 'not-found' | 'exists' | 'permissions' | 'unreadable' | 'malformed' | 'locked' | 'io'

const CODES: Record<KeyringErrorCode, ErrorCode> = {
  'not-found': 'KEYRING_MISSING',
  exists: 'KEYRING_EXISTS',
  permissions: 'KEYRING_PERMISSIONS',
  unreadable: 'KEYRING_UNREADABLE',
  malformed: 'KEYRING_INVALID',
  locked: 'KEYRING_LOCKED',
  io: 'KEYRING_IO',
}

/**
 * A keyring file problem: a {@link DialwardError} whose catalogue code follows from `reason`. The
 * message is one line, names the file and the fix, and never contains key material or file contents.
 */
export class KeyringError extends DialwardError {
  readonly reason: KeyringErrorCode

  constructor(reason: KeyringErrorCode, message: string) {
    super(CODES[reason], message)
    this.name = 'KeyringError'
    this.reason = reason
  }
}
