import { statSync } from 'node:fs'
import { loadKeyring } from '../../crypto/keyring.js'
import { DialwardError } from '../../core/errors.js'
import type { Infrastructure } from '../infrastructure.js'

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
 * The verdict is cached for a second; `require` throws when not ready, so the gate refuses
 * (503) rather than answering.
 */
export class HealthService {
  readonly #infra: Infrastructure
  readonly #more: () => readonly string[]
  #last: { at: number; report: HealthReport } | null = null

  /** `more` adds problems found elsewhere (the gate index: rows that failed verification). */
  constructor(infra: Infrastructure, more: () => readonly string[] = () => []) {
    this.#infra = infra
    this.#more = more
  }

  async check(): Promise<HealthReport> {
    const now = Date.now()
    if (this.#last && now - this.#last.at < TTL_MS) return this.#last.report
    const problems: string[] = []
    const { store, repos, keyring, config } = this.#infra
    try {
      const bound = await repos.settings.get(store.db, 'keyring.blind_index_key_id')
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
    this.#last = { at: now, report }
    return report
  }

  /** Throws `STORE_UNAVAILABLE` or `KEY_UNAVAILABLE` unless ready. */
  async require(): Promise<void> {
    const r = await this.check()
    if (r.ready) return
    const keys = r.problems.some((p) => p.startsWith('keyring'))
    const tampered = r.problems.some((p) => p.startsWith('tampered'))
    throw new DialwardError(tampered ? 'AUDIT_TAMPERED' : keys ? 'KEY_UNAVAILABLE' : 'STORE_UNAVAILABLE', `not ready: ${r.problems.join('; ')}`)
  }
}
