import {
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  generateKeyPairSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto'
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs'
import { inspect } from 'node:util'
import { removeStaleTempFiles, writeFileAtomic } from './atomic-file.js'
import { withLockFile } from './file-lock.js'
import { KeyringError } from './keyring-error.js'

/**
 * Keyring file format (JSON, UTF-8, mode 0600), version 1:
 *
 * ```json
 * {
 *   "format": "dialward.keyring",
 *   "version": 1,
 *   "keks": [
 *     { "id": "kek-…", "alg": "A256GCM", "key": "<base64, 32 bytes>", "createdAt": "<ISO-8601 UTC>", "state": "active" }
 *   ],
 *   "blindIndex": { "id": "bik-…", "alg": "HS256", "key": "<base64, 32 bytes>", "createdAt": "…" },
 *   "signing": { "id": "sig-…", "alg": "Ed25519", "privateKey": "<base64 PKCS#8 DER>", "publicKey": "<base64 SPKI DER>", "createdAt": "…" }
 * }
 * ```
 *
 * Exactly one KEK is `active` (used to wrap new data keys); `retired` KEKs only unwrap.
 */
export const KEYRING_FORMAT_VERSION = 1

const FORMAT_TAG = 'dialward.keyring'
const MAX_FILE_BYTES = 1024 * 1024
const KEY_BYTES = 32
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/
const BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/

/** Lifecycle state of a key-encryption key. */
export type KekState = 'active' | 'retired'

/** Metadata of one key-encryption key (never the key bytes). */
export interface KekInfo {
  readonly id: string
  readonly alg: 'A256GCM'
  /** ISO-8601 UTC creation time. */
  readonly createdAt: string
  readonly state: KekState
}

/** Key material a {@link Keyring} is built from. Normally produced by {@link loadKeyring}. */
export interface KeyringMaterial {
  readonly keks: readonly (KekInfo & { readonly key: KeyObject })[]
  readonly blindIndex: { readonly id: string; readonly createdAt: string; readonly key: KeyObject }
  readonly signing: {
    readonly id: string
    readonly createdAt: string
    readonly privateKey: KeyObject
    readonly publicKey: KeyObject
  }
}

/** Metadata of the blind-index key or the signing key (never the key bytes). */
export interface KeyMeta<A extends string> {
  readonly id: string
  readonly alg: A
  /** ISO-8601 UTC creation time. */
  readonly createdAt: string
}

/** What a keyring shows when logged or serialized: ids and metadata, never key bytes. */
export interface KeyringSummary {
  readonly format: string
  readonly version: number
  readonly keks: readonly KekInfo[]
  readonly blindIndex: KeyMeta<'HS256'>
  readonly signing: KeyMeta<'Ed25519'>
}

/**
 * The keys Dialward holds: key-encryption keys (KEKs) that wrap per-subject data keys, the
 * blind-index HMAC key, and the Ed25519 key that signs audit checkpoints and receipts.
 *
 * Key bytes live only in private fields as `KeyObject`s; `toString`, `JSON.stringify` and
 * `util.inspect` print ids and metadata only, so logging a keyring cannot leak a key.
 * Build one with {@link createKeyring} or {@link loadKeyring}; an instance is immutable
 * ({@link rotateKek} returns a new one).
 */
export class Keyring {
  /** Format version of the file this keyring was read from. */
  readonly formatVersion = KEYRING_FORMAT_VERSION
  readonly #keks: ReadonlyMap<string, KekInfo & { readonly key: KeyObject }>
  readonly #active: KekInfo
  readonly #blindIndex: KeyringMaterial['blindIndex']
  readonly #signing: KeyringMaterial['signing']

  /** Validates `material` (exactly one active KEK, unique ids, 32-byte keys, Ed25519 pair). */
  constructor(material: KeyringMaterial) {
    const keks = new Map<string, KekInfo & { readonly key: KeyObject }>()
    for (const k of material.keks) {
      id(k.id, 'KEK id')
      iso(k.createdAt, `KEK ${k.id} createdAt`)
      if (k.alg !== 'A256GCM') throw malformed(`KEK ${k.id} alg must be "A256GCM"`)
      if (k.state !== 'active' && k.state !== 'retired') throw malformed(`KEK ${k.id} state must be "active" or "retired"`)
      if (keks.has(k.id)) throw new KeyringError('malformed', `keyring: duplicate KEK id ${k.id}`)
      if (k.key.type !== 'secret' || k.key.symmetricKeySize !== KEY_BYTES) {
        throw new KeyringError('malformed', `keyring: KEK ${k.id} is not a 32-byte secret key`)
      }
      keks.set(k.id, Object.freeze({ id: k.id, alg: k.alg, createdAt: k.createdAt, state: k.state, key: k.key }))
    }
    const active = [...keks.values()].filter((k) => k.state === 'active')
    if (active.length !== 1 || active[0] === undefined) {
      throw new KeyringError('malformed', `keyring: expected exactly one active KEK, found ${active.length}`)
    }
    const bi = material.blindIndex
    id(bi.id, 'blind-index key id')
    iso(bi.createdAt, 'blind-index key createdAt')
    if (bi.key.type !== 'secret' || bi.key.symmetricKeySize !== KEY_BYTES) {
      throw new KeyringError('malformed', 'keyring: blind-index key is not a 32-byte secret key')
    }
    const sg = material.signing
    id(sg.id, 'signing key id')
    iso(sg.createdAt, 'signing key createdAt')
    if (sg.privateKey.asymmetricKeyType !== 'ed25519' || sg.publicKey.asymmetricKeyType !== 'ed25519') {
      throw new KeyringError('malformed', 'keyring: signing key is not an Ed25519 key pair')
    }
    if (!spkiOf(createPublicKey(sg.privateKey)).equals(spkiOf(sg.publicKey))) {
      throw new KeyringError('malformed', 'keyring: signing public key does not match the private key')
    }
    this.#keks = keks
    this.#active = infoOf(active[0])
    this.#blindIndex = Object.freeze({ ...bi })
    this.#signing = Object.freeze({ ...sg })
  }

  /** All KEKs (metadata only), in file order. */
  get keks(): readonly KekInfo[] {
    return [...this.#keks.values()].map(infoOf)
  }

  /** The KEK that wraps new data keys. */
  get activeKek(): KekInfo {
    return this.#active
  }

  /** The secret key of KEK `id` (active or retired), or `undefined` if this keyring lacks it. */
  kekKey(id: string): KeyObject | undefined {
    return this.#keks.get(id)?.key
  }

  /** Id of the blind-index key; store it beside each index so a later key change is detectable. */
  get blindIndexKeyId(): string {
    return this.#blindIndex.id
  }

  /** Blind-index key metadata. */
  get blindIndexKeyMeta(): KeyMeta<'HS256'> {
    return Object.freeze({ id: this.#blindIndex.id, alg: 'HS256', createdAt: this.#blindIndex.createdAt })
  }

  /** The blind-index HMAC-SHA-256 key. */
  blindIndexKey(): KeyObject {
    return this.#blindIndex.key
  }

  /** Id of the Ed25519 signing key. */
  get signingKeyId(): string {
    return this.#signing.id
  }

  /** Signing key metadata. */
  get signingKeyMeta(): KeyMeta<'Ed25519'> {
    return Object.freeze({ id: this.#signing.id, alg: 'Ed25519', createdAt: this.#signing.createdAt })
  }

  /** The Ed25519 private key. */
  signingPrivateKey(): KeyObject {
    return this.#signing.privateKey
  }

  /** The Ed25519 public key. */
  signingPublicKey(): KeyObject {
    return this.#signing.publicKey
  }

  /** Ids and metadata only; this is what `JSON.stringify` prints. */
  toJSON(): KeyringSummary {
    return {
      format: FORMAT_TAG,
      version: this.formatVersion,
      keks: this.keks,
      blindIndex: this.blindIndexKeyMeta,
      signing: this.signingKeyMeta,
    }
  }

  /** One-line description without key material. */
  toString(): string {
    return `Keyring(v${this.formatVersion}, active KEK ${this.#active.id}, ${this.#keks.size} KEK(s), blind index ${this.#blindIndex.id}, signing ${this.#signing.id})`
  }

  /** Used by `util.inspect` and `console.log`. */
  [inspect.custom](): string {
    return this.toString()
  }
}

/**
 * Creates a new keyring file at `path` with one active KEK, a blind-index key and an Ed25519
 * signing key pair, and returns it. Refuses to overwrite an existing file (even one created
 * concurrently). The file is written atomically with mode 0600.
 */
export function createKeyring(path: string, now: Date = new Date()): Keyring {
  const createdAt = isoOf(now)
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const keyring = new Keyring({
    keks: [newKek(createdAt)],
    blindIndex: { id: newId('bik'), createdAt, key: createSecretKey(randomBytes(KEY_BYTES)) },
    signing: { id: newId('sig'), createdAt, privateKey, publicKey },
  })
  try {
    writeFileAtomic(path, serialize(keyring), { mode: 0o600, exclusive: true })
  } catch (err) {
    if (errnoOf(err) === 'EEXIST') {
      throw new KeyringError('exists', `keyring ${path} already exists; refusing to overwrite it`)
    }
    throw ioError(path, 'cannot be written', err)
  }
  return loadKeyring(path)
}

/**
 * Reads and validates the keyring file at `path`. Throws a {@link KeyringError} when the file
 * is missing, unreadable, not a regular file, readable or writable by group or others
 * (`(mode & 0o077) !== 0`), not valid JSON, or not a valid version-1 keyring.
 */
export function loadKeyring(path: string): Keyring {
  let text: string
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (err) {
    const code = errnoOf(err)
    if (code === 'ENOENT') throw new KeyringError('not-found', `keyring ${path} not found; create one first`)
    if (code === 'EACCES' || code === 'EPERM') {
      throw new KeyringError('unreadable', `keyring ${path} is not readable by this user`)
    }
    throw ioError(path, 'cannot be opened', err)
  }
  try {
    const st = fstatSync(fd)
    if (!st.isFile()) throw new KeyringError('unreadable', `keyring ${path} is not a regular file`)
    if ((st.mode & 0o077) !== 0) {
      const perms = (st.mode & 0o777).toString(8).padStart(4, '0')
      throw new KeyringError(
        'permissions',
        `keyring ${path} has permissions ${perms}, which let other users read or change it; run: chmod 600 ${path}`,
      )
    }
    if (st.size > MAX_FILE_BYTES) throw new KeyringError('malformed', `keyring ${path} is too large to be a keyring`)
    text = readFileSync(fd, 'utf8')
  } catch (err) {
    if (err instanceof KeyringError) throw err
    throw ioError(path, 'cannot be read', err)
  } finally {
    closeSync(fd)
  }
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    // The parser's message quotes the file, which may hold key bytes: do not pass it on.
    throw new KeyringError('malformed', `keyring ${path} is not valid JSON`)
  }
  try {
    return parseDocument(doc)
  } catch (err) {
    if (err instanceof KeyringError) throw new KeyringError(err.reason, err.message.replace(/^keyring:/, `keyring ${path}:`))
    throw err
  }
}

/**
 * Adds a new active KEK to the keyring file at `path` and marks the previous one retired, so
 * new data keys are wrapped under the new KEK while keys wrapped under old ones still unwrap.
 * The file is rewritten atomically under a lock file (`<path>.lock`), so two concurrent
 * rotations cannot lose a KEK; temporary files left by an earlier crashed write are removed.
 * Returns the rotated keyring.
 */
export function rotateKek(path: string, now: Date = new Date()): Keyring {
  return rewriteKeks(path, 'another rotation or prune is running', (current) => [
    ...current.keks.map((info) => ({ ...info, state: 'retired' as const, key: current.kekKey(info.id) as KeyObject })),
    newKek(isoOf(now)),
  ])
}

/**
 * Destroys retired KEKs: rewrites the keyring file at `path` without the KEKs named in `ids`,
 * atomically and under the lock file (`<path>.lock`), like {@link rotateKek}. Ids the file no
 * longer holds are ignored (a rerun after a crash is a no-op for them); naming the active KEK is
 * refused (`malformed`), so the file always keeps exactly one active KEK. The caller decides
 * which KEKs nothing is wrapped under any more. Returns the keyring as written.
 */
export function pruneKeks(path: string, ids: readonly string[]): Keyring {
  const gone = new Set(ids)
  return rewriteKeks(path, 'a rotation or prune is running', (current) => {
    if (gone.has(current.activeKek.id)) throw new KeyringError('malformed', `keyring ${path}: refusing to prune the active KEK ${current.activeKek.id}`)
    const keep = current.keks.filter((info) => !gone.has(info.id))
    return keep.length === current.keks.length ? null : keep.map((info) => ({ ...info, key: current.kekKey(info.id) as KeyObject }))
  })
}

/**
 * Rewrites the keyring file's KEKs (blind-index and signing keys unchanged) under the lock file
 * `<path>.lock`, atomically, after removing temporary files an earlier crashed write left.
 * `change` returns the new KEK list, or `null` to leave the file as it is. Returns the keyring
 * as written.
 */
function rewriteKeks(path: string, busy: string, change: (current: Keyring) => KeyringMaterial['keks'] | null): Keyring {
  const lockPath = `${path}.lock`
  try {
    return withLockFile(lockPath, () => {
      const current = loadKeyring(path)
      removeStaleTempFiles(path)
      const keks = change(current)
      if (keks === null) return current
      const next = new Keyring({
        keks,
        blindIndex: { id: current.blindIndexKeyId, createdAt: current.blindIndexKeyMeta.createdAt, key: current.blindIndexKey() },
        signing: { id: current.signingKeyId, createdAt: current.signingKeyMeta.createdAt, privateKey: current.signingPrivateKey(), publicKey: current.signingPublicKey() },
      })
      try {
        writeFileAtomic(path, serialize(next), { mode: 0o600 })
      } catch (err) {
        throw ioError(path, 'cannot be rewritten', err)
      }
      return loadKeyring(path)
    })
  } catch (err) {
    if (err instanceof KeyringError) throw err
    if (errnoOf(err) === 'EEXIST') {
      throw new KeyringError('locked', `keyring lock ${lockPath} exists: ${busy}, or one crashed (remove the lock if none is running)`)
    }
    throw ioError(lockPath, 'cannot be created', err)
  }
}

// ——— serialization ———

function serialize(k: Keyring): string {
  const doc = {
    format: FORMAT_TAG,
    version: KEYRING_FORMAT_VERSION,
    keks: k.keks.map((info) => ({
      id: info.id,
      alg: info.alg,
      key: (k.kekKey(info.id) as KeyObject).export().toString('base64'),
      createdAt: info.createdAt,
      state: info.state,
    })),
    blindIndex: {
      id: k.blindIndexKeyId,
      alg: 'HS256',
      key: k.blindIndexKey().export().toString('base64'),
      createdAt: k.blindIndexKeyMeta.createdAt,
    },
    signing: {
      id: k.signingKeyId,
      alg: 'Ed25519',
      privateKey: k.signingPrivateKey().export({ format: 'der', type: 'pkcs8' }).toString('base64'),
      publicKey: spkiOf(k.signingPublicKey()).toString('base64'),
      createdAt: k.signingKeyMeta.createdAt,
    },
  }
  return `${JSON.stringify(doc, null, 2)}\n`
}

function parseDocument(doc: unknown): Keyring {
  const root = record(doc, 'the top level')
  if (root['format'] !== FORMAT_TAG) throw malformed('"format" must be "dialward.keyring"')
  if (root['version'] !== KEYRING_FORMAT_VERSION) {
    throw malformed(`unsupported "version" (this build reads version ${KEYRING_FORMAT_VERSION})`)
  }
  const keksRaw = root['keks']
  if (!Array.isArray(keksRaw) || keksRaw.length === 0) throw malformed('"keks" must be a non-empty array')
  const keks = keksRaw.map((raw: unknown, i) => {
    const where = `keks[${i}]`
    const k = record(raw, where)
    if (k['alg'] !== 'A256GCM') throw malformed(`${where}.alg must be "A256GCM"`)
    const state = k['state']
    if (state !== 'active' && state !== 'retired') throw malformed(`${where}.state must be "active" or "retired"`)
    return {
      id: id(k['id'], `${where}.id`),
      alg: 'A256GCM' as const,
      createdAt: iso(k['createdAt'], `${where}.createdAt`),
      state: state as KekState,
      key: createSecretKey(secret32(k['key'], `${where}.key`)),
    }
  })
  const b = record(root['blindIndex'], 'blindIndex')
  if (b['alg'] !== 'HS256') throw malformed('blindIndex.alg must be "HS256"')
  const blindIndex = {
    id: id(b['id'], 'blindIndex.id'),
    createdAt: iso(b['createdAt'], 'blindIndex.createdAt'),
    key: createSecretKey(secret32(b['key'], 'blindIndex.key')),
  }
  const s = record(root['signing'], 'signing')
  if (s['alg'] !== 'Ed25519') throw malformed('signing.alg must be "Ed25519"')
  let privateKey: KeyObject
  let publicKey: KeyObject
  try {
    privateKey = createPrivateKey({ key: base64(s['privateKey'], 'signing.privateKey'), format: 'der', type: 'pkcs8' })
  } catch (err) {
    if (err instanceof KeyringError) throw err
    throw malformed('signing.privateKey is not a PKCS#8 DER key')
  }
  try {
    publicKey = createPublicKey({ key: base64(s['publicKey'], 'signing.publicKey'), format: 'der', type: 'spki' })
  } catch (err) {
    if (err instanceof KeyringError) throw err
    throw malformed('signing.publicKey is not an SPKI DER key')
  }
  const signing = {
    id: id(s['id'], 'signing.id'),
    createdAt: iso(s['createdAt'], 'signing.createdAt'),
    privateKey,
    publicKey,
  }
  return new Keyring({ keks, blindIndex, signing })
}

// ——— helpers ———

function newKek(createdAt: string): KekInfo & { key: KeyObject } {
  return { id: newId('kek'), alg: 'A256GCM', createdAt, state: 'active', key: createSecretKey(randomBytes(KEY_BYTES)) }
}

function newId(prefix: string): string {
  return `${prefix}-${randomBytes(8).toString('hex')}`
}

function isoOf(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new RangeError('keyring: invalid creation time')
  return d.toISOString()
}

function spkiOf(k: KeyObject): Buffer {
  return k.export({ format: 'der', type: 'spki' })
}

function infoOf(k: KekInfo): KekInfo {
  return Object.freeze({ id: k.id, alg: k.alg, createdAt: k.createdAt, state: k.state })
}

function malformed(what: string): KeyringError {
  return new KeyringError('malformed', `keyring: ${what}`)
}

function record(v: unknown, where: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw malformed(`${where} must be an object`)
  return v as Record<string, unknown>
}

function id(v: unknown, where: string): string {
  if (typeof v !== 'string' || !ID_PATTERN.test(v)) {
    throw malformed(`${where} must be 1–64 characters of A–Z a–z 0–9 . _ : -`)
  }
  return v
}

function iso(v: unknown, where: string): string {
  if (typeof v !== 'string') throw malformed(`${where} must be an ISO-8601 UTC time`)
  const t = new Date(v)
  if (Number.isNaN(t.getTime()) || t.toISOString() !== v) throw malformed(`${where} must be an ISO-8601 UTC time`)
  return v
}

function base64(v: unknown, where: string): Buffer {
  if (typeof v !== 'string' || v.length % 4 !== 0 || !BASE64_PATTERN.test(v)) {
    throw malformed(`${where} must be standard base64`)
  }
  const bytes = Buffer.from(v, 'base64')
  if (bytes.toString('base64') !== v) throw malformed(`${where} must be standard base64`)
  return bytes
}

function secret32(v: unknown, where: string): Buffer {
  const bytes = base64(v, where)
  if (bytes.length !== KEY_BYTES) throw malformed(`${where} must encode exactly ${KEY_BYTES} bytes`)
  return bytes
}

function errnoOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined
}

function ioError(path: string, what: string, err: unknown): KeyringError {
  return new KeyringError('io', `keyring ${path} ${what} (${errnoOf(err) ?? 'unknown error'})`)
}
