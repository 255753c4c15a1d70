/** Stable reasons a keyring cannot be created, loaded or rotated. */
export type KeyringErrorCode =
  | 'not-found'
  | 'exists'
  | 'permissions'
  | 'unreadable'
  | 'malformed'
  | 'locked'
  | 'io'

/**
 * A keyring file problem. The message is one line, names the file and the fix, and never
 * contains key material or file contents.
 */
export class KeyringError extends Error {
  override readonly name = 'KeyringError'
  readonly code: KeyringErrorCode

  constructor(code: KeyringErrorCode, message: string) {
    super(message)
    this.code = code
  }
}
