import { statSync } from 'node:fs'
import { loadKeyring } from '../../crypto/keyring.js'
import { DialwardError } from '../../core/errors.js'
import type { Infrastructure } from '../infrastructure.js'
import { storeIdentity } from '../../store/store.js'

/** What readiness found. */
export interface HealthReport {
  readonly ready: boolean
  readonly problems: string[]
}

/** How long a readiness verdict is reused (checks consult it on every request). */
const TTL_MS = 1_000

/**
 * Readiness of this process: the database answers and still belongs to the keyring, and the
 * keyring file is present, private and unchanged (the keys this process holds are the keyring's).
 * The verdict is cached for a second, but never past a change of the keyring file or of the
 * database file (a stat of each on every call: a check right after either is removed or replaced
 * is refused, not answered from the cache); `require` throws when not ready, so the gate refuses
 * (503) rather than answering.
 */
export class HealthService {
  readonly #infra: Infrastructure
  readonly #more: () => readonly string[]
  #last: { at: number; probe: string; report: HealthReport } | null = null
  /** The database file this process opened (its identity when readiness was first built). */
  readonly #opened: string

  /** `more` adds problems found elsewhere (the gate index: rows that failed verification). */
  constructor(infra: Infrastructure, more: () => readonly string[] = () => []) {
    this.#infra = infra
    this.#more = more
    this.#opened = storeIdentity(infra.config.database)
  }

  /** Readiness now (`fresh`: not from the cache, e.g. after a request failed unexpectedly). */
  async check(fresh = false): Promise<HealthReport> {
    const now = Date.now()
    const store = storeIdentity(this.#infra.config.database)
    const probe = `${this.#keyringStamp()}|${store}`
    if (!fresh && this.#last && now - this.#last.at < TTL_MS && this.#last.probe === probe) return this.#last.report
    const problems: string[] = []
    const { repos, keyring, config } = this.#infra
    if (store !== this.#opened) problems.push('database unavailable: the database file was removed or replaced under the running process')
    try {
      const bound = await repos.settings.get(this.#infra.store.db, 'keyring.blind_index_key_id')
      if (bound !== keyring.blindIndexKeyId) problems.push('the database is not bound to this keyring')
    } catch (err) {
      problems.push(`database unavailable: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`)
    }
    try {
      statSync(config.keyringPath)
      const onDisk = loadKeyring(config.keyringPath)
      if (onDisk.blindIndexKeyId !== keyring.blindIndexKeyId || onDisk.signingKeyId !== keyring.signingKeyId) problems.push('the keyring file changed under the running process')
    } catch (err) {
      problems.push(`keyring unavailable: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`)
    }
    problems.push(...this.#more())
    const report = { ready: problems.length === 0, problems }
    this.#last = { at: now, probe, report }
    return report
  }

  /** The keyring file's identity and stamp: with the database file's identity, a change invalidates the cached verdict. */
  #keyringStamp(): string {
    try {
      const s = statSync(this.#infra.config.keyringPath)
      return `${s.isFile()}:${s.ino}:${s.size}:${s.mtimeMs}`
    } catch (err) {
      return String((err as NodeJS.ErrnoException).code)
    }
  }

  /** Throws `STORE_UNAVAILABLE` or `KEY_UNAVAILABLE` unless ready (`fresh`: re-examined, not cached). */
  async require(fresh = false): Promise<void> {
    const r = await this.check(fresh)
    if (r.ready) return
    const keys = r.problems.some((p) => p.startsWith('keyring'))
    const tampered = r.problems.some((p) => p.startsWith('tampered'))
    throw new DialwardError(tampered ? 'AUDIT_TAMPERED' : keys ? 'KEY_UNAVAILABLE' : 'STORE_UNAVAILABLE', `not ready: ${r.problems.join('; ')}`)
  }
}
