import { DecryptError } from './decrypt-error.js'
import { FileKeyProvider, type KeyProvider, type WrappedKey } from './key-provider.js'
import type { Keyring } from './keyring.js'

/**
 * The keyring file's {@link KeyProvider} for a long-lived process: `reload` re-reads the file
 * (after another process rotated the key-encryption key, so new data keys are wrapped under the
 * new active KEK), and an unwrap that names a KEK this process does not hold yet reloads once
 * before failing. The blind-index and signing keys never change by rotation; a file whose
 * blind-index or signing key differs is not adopted (readiness reports it).
 */
export class ReloadingKeyProvider implements KeyProvider {
  readonly #load: () => Keyring
  #keyring: Keyring
  #provider: FileKeyProvider

  constructor(keyring: Keyring, load: () => Keyring) {
    this.#keyring = keyring
    this.#provider = new FileKeyProvider(keyring)
    this.#load = load
  }

  /** Re-reads the keyring file and adopts its KEKs; returns whether the active KEK changed. */
  reload(): boolean {
    const next = this.#load()
    if (next.blindIndexKeyId !== this.#keyring.blindIndexKeyId || next.signingKeyId !== this.#keyring.signingKeyId) return false
    const changed = next.activeKek.id !== this.#keyring.activeKek.id
    this.#keyring = next
    this.#provider = new FileKeyProvider(next)
    return changed
  }

  activeKekId(): string {
    return this.#provider.activeKekId()
  }

  wrap(dek: Buffer, aad: string): WrappedKey {
    return this.#provider.wrap(dek, aad)
  }

  unwrap(w: WrappedKey, aad: string): Buffer {
    try {
      return this.#provider.unwrap(w, aad)
    } catch (err) {
      if (!(err instanceof DecryptError && err.reason === 'key-mismatch')) throw err
      try {
        this.reload()
      } catch {
        throw err
      }
      return this.#provider.unwrap(w, aad)
    }
  }
}
