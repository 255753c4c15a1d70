import { DialwardError } from '../core/errors.js'

/** Stable reasons a ciphertext or wrapped key was refused. */
export type DecryptErrorReason =
  /** Too short, bad lengths, or a field that cannot be parsed. */
  | 'malformed'
  /** Unknown format version or algorithm id. */
  | 'unsupported'
  /** Encrypted under a different key id than the one supplied, or an unknown key id. */
  | 'key-mismatch'
  /** The GCM tag did not verify: wrong key, wrong AAD, or modified bytes. */
  | 'auth-failed'
  /** The key supplied cannot be used (wrong length). */
  | 'bad-key'

/**
 * Decryption or unwrapping refused (catalogue code `DECRYPT_FAILED`). Messages are fixed strings:
 * they never carry plaintext, key bytes or ciphertext, so they are safe to log.
 */
export class DecryptError extends DialwardError {
  readonly reason: DecryptErrorReason

  constructor(reason: DecryptErrorReason, message: string) {
    super('DECRYPT_FAILED', message)
    this.name = 'DecryptError'
    this.reason = reason
  }
}
