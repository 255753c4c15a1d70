import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { DialwardError } from '../../core/errors.js'
import { formatInstant, MINUTE } from '../../core/time/instant.js'
import type { Executor } from '../../store/schema.js'
import type { apiKeysRepo, ApiKeyRow } from '../../store/repos/api-keys.js'
import type { RequestContext, Role } from '../context.js'
import type { StoreWatch } from '../indexes/store-watch.js'
import type { UnitOfWork } from '../unit-of-work.js'

/** An API key as listed: never its secret. */
export interface ApiKeyView {
  readonly id: string
  readonly name: string
  readonly role: Role
  readonly createdAt: string
  readonly expiresAt: string | null
  readonly revokedAt: string | null
  readonly lastUsedAt: string | null
  readonly state: 'active' | 'revoked' | 'expired'
}

/** A key just created: the only time its secret is shown. */
export interface CreatedApiKey {
  readonly id: string
  readonly key: string
  readonly role: Role
  readonly name: string
  readonly expiresAt: string | null
}

/** Who an authenticated key is: the request context an edge builds from it. */
export interface KeyIdentity {
  readonly id: string
  readonly name: string
  readonly role: Role
}

const PREFIX = 'dwk_'
const KEY_PATTERN = /^dwk_([a-z2-7]{16})_([A-Za-z0-9_-]{43})$/

const sha256 = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest()

/** Base32 (RFC 4648 alphabet, lower case) of random bytes: the public id part of a key. */
function base32(bytes: Buffer): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567'
  let bits = 0
  let value = 0
  let out = ''
  for (const b of bytes) {
    value = (value << 8) | b
    bits += 8
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  return out
}

/**
 * API keys: `dwk_<id>_<secret>` with a 10-byte public id and a 256-bit secret from the CSPRNG.
 * Only the SHA-256 of the secret is stored (a high-entropy secret needs no slow hash); it is
 * compared in constant time. Keys carry one role, may expire, and are revoked, never deleted.
 * Verified keys are cached and the cache is dropped when any process changes keys.
 */
export class ApiKeyService {
  readonly #uow: UnitOfWork
  readonly #repo: typeof apiKeysRepo
  readonly #db: Executor
  readonly #clock: () => number
  readonly #cache = new Map<string, ApiKeyRow | null>()
  readonly #touched = new Map<string, number>()

  constructor(uow: UnitOfWork, repo: typeof apiKeysRepo, db: Executor, watch: StoreWatch, clock: () => number) {
    this.#uow = uow
    this.#repo = repo
    this.#db = db
    this.#clock = clock
    watch.on('apikeys', () => this.#cache.clear())
  }

  create(ctx: RequestContext, input: { name: string; role: Role; expiresAt: number | null }): Promise<CreatedApiKey> {
    return this.#uow.write(ctx, 'apikey.create', async (tx) => {
      if (input.expiresAt !== null && input.expiresAt <= tx.now) throw new DialwardError('INVALID_INPUT', 'must be in the future', 'expires')
      const id = base32(randomBytes(10))
      const secret = randomBytes(32).toString('base64url')
      await this.#repo.insert(tx.db, {
        id,
        name: input.name,
        role: input.role,
        secret_sha256: sha256(secret).toString('hex'),
        created_at: tx.now,
        expires_at: input.expiresAt,
        revoked_at: null,
        last_used_at: null,
      })
      tx.changed('apikeys')
      const expiresAt = input.expiresAt === null ? null : formatInstant(input.expiresAt)
      return { result: { id, key: `${PREFIX}${id}_${secret}`, role: input.role, name: input.name, expiresAt }, audit: { subject: null, data: { key: id, name: input.name, role: input.role, expiresAt } } }
    })
  }

  revoke(ctx: RequestContext, id: string): Promise<ApiKeyView> {
    return this.#uow.write(ctx, 'apikey.revoke', async (tx) => {
      const row = await this.#repo.get(tx.db, id)
      if (!row) throw new DialwardError('UNKNOWN_API_KEY', `no API key "${id}"`, 'id')
      const changed = await this.#repo.revoke(tx.db, id, tx.now)
      if (changed) tx.changed('apikeys')
      const view = toView({ ...row, revoked_at: row.revoked_at ?? tx.now }, tx.now)
      return { result: view, audit: changed ? { subject: null, data: { key: id, name: row.name, role: row.role } } : null }
    })
  }

  async list(): Promise<ApiKeyView[]> {
    const now = this.#clock()
    return (await this.#repo.list(this.#db)).map((r) => toView(r, now))
  }

  /**
   * The identity of a presented key, or `null` when it is malformed, unknown, revoked or
   * expired. The secret's hash is compared in constant time.
   */
  async authenticate(presented: string): Promise<KeyIdentity | null> {
    const m = KEY_PATTERN.exec(presented)
    if (!m) return null
    const id = m[1]!
    let row = this.#cache.get(id)
    if (row === undefined) {
      row = await this.#repo.get(this.#db, id)
      this.#cache.set(id, row)
    }
    if (!row) return null
    const expected = Buffer.from(row.secret_sha256, 'hex')
    const actual = sha256(m[2]!)
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null
    const now = this.#clock()
    if (row.revoked_at !== null || (row.expires_at !== null && row.expires_at <= now)) return null
    if (now - (this.#touched.get(id) ?? 0) >= MINUTE) {
      this.#touched.set(id, now)
      await this.#repo.touch(this.#db, id, now)
    }
    return { id, name: row.name, role: row.role as Role }
  }
}

function toView(r: ApiKeyRow, now: number): ApiKeyView {
  const state = r.revoked_at !== null ? 'revoked' : r.expires_at !== null && r.expires_at <= now ? 'expired' : 'active'
  const iso = (t: number | null): string | null => (t === null ? null : formatInstant(t))
  return { id: r.id, name: r.name, role: r.role as Role, createdAt: formatInstant(r.created_at), expiresAt: iso(r.expires_at), revokedAt: iso(r.revoked_at), lastUsedAt: iso(r.last_used_at), state }
}
