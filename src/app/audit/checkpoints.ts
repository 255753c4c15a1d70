import { randomBytes } from 'node:crypto'
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs'
import type { Kysely } from 'kysely'
import type { Database } from '../../store/schema.js'
import { writeTransaction } from '../../store/write-transaction.js'
import { MerkleAccumulator } from '../../core/audit/merkle-accumulator.js'
import { noteKeyId, signCheckpoint, type CheckpointSigningKey, type CheckpointTrust } from '../../core/audit/checkpoint.js'
import { toHex } from '../../core/audit/bytes.js'
import { getSetting } from '../../store/settings.js'
import { DialwardError } from '../../core/errors.js'
import { loadLeafHashes } from './stored-entries.js'
import { MINUTE } from '../../core/time/instant.js'
import { ed25519PublicKeyBytes, ed25519Signer, ed25519Verifier, sha256 } from '../../audit/node-hasher.js'
import type { Keyring } from '../../crypto/keyring.js'
import type { App } from '../open-app.js'

/** Sign a checkpoint at least every this many new entries … */
export const CHECKPOINT_EVERY_ENTRIES = 1_000
/** … or when the newest checkpoint is older than this and new entries exist. */
export const CHECKPOINT_EVERY_MS = 5 * MINUTE

const ORIGIN_KEY = 'audit.origin'

/** A stored signed checkpoint: tree size, root (hex), time, and the signed note text. */
export interface StoredCheckpoint {
  readonly size: number
  readonly rootHex: string
  readonly time: number
  readonly note: string
}

/** The log's origin as stored, without creating one (null before the first checkpoint). */
export function readOrigin(db: Kysely<Database>): Promise<string | null> {
  return getSetting(db, ORIGIN_KEY)
}

/** The log's origin line (`dialward/audit/<random id>`), created once per database. */
export async function auditOrigin(db: Kysely<Database>): Promise<string> {
  const stored = await readOrigin(db)
  if (stored !== null) return stored
  const origin = `dialward/audit/${randomBytes(8).toString('hex')}`
  await db.insertInto('settings').values({ key: ORIGIN_KEY, value: origin }).onConflict((oc) => oc.doNothing()).execute()
  return (await readOrigin(db)) ?? origin
}

/** Entries in the audit log: `max(seq) + 1` (seqs are gap-free from 0), an index lookup rather than a count. */
export async function auditLogSize(db: Kysely<Database>): Promise<number> {
  const last = await db.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst()
  return last?.seq === null || last?.seq === undefined ? 0 : Number(last.seq) + 1
}

/** A checkpoint as shown in JSON documents (proofs, evidence, receipts, the checkpoint file). */
export function checkpointView(cp: StoredCheckpoint): { size: number; root: string; time: string; note: string } {
  return { size: cp.size, root: cp.rootHex, time: new Date(cp.time).toISOString(), note: cp.note }
}

/** The signing key of checkpoints (the keyring's Ed25519 key, named by the origin). */
export function checkpointSigningKey(keyring: Keyring, origin: string): CheckpointSigningKey {
  const pub = ed25519PublicKeyBytes(keyring.signingPublicKey())
  return { name: origin, keyId: noteKeyId(sha256, origin, pub), sign: ed25519Signer(keyring.signingPrivateKey()) }
}

/** What a verifier trusts for this log: its origin and the keyring's public key. */
export function checkpointTrust(keyring: Keyring, origin: string): CheckpointTrust {
  const pub = ed25519PublicKeyBytes(keyring.signingPublicKey())
  return { origin, name: origin, keyId: noteKeyId(sha256, origin, pub), verify: ed25519Verifier(keyring.signingPublicKey()) }
}

/** Every stored checkpoint, oldest first. */
export async function listCheckpoints(db: Kysely<Database>): Promise<StoredCheckpoint[]> {
  const rows = await db.selectFrom('audit_checkpoints').selectAll().orderBy('size').execute()
  return rows.map((r) => ({ size: r.size, rootHex: r.root, time: r.time, note: r.note }))
}

/** Leaf hashes of the audit log in order (seq 0, 1, …), read page by page like the entries. */
export async function leafHashes(db: Kysely<Database>): Promise<Uint8Array[]> {
  return loadLeafHashes(db)
}

/**
 * Signs a checkpoint of the whole audit log now (when it grew since the last one), stores it
 * in the database and appends it as one JSON line to the checkpoint file, fsynced, so it can be
 * shipped off the machine. Returns the newest checkpoint.
 */
export async function writeCheckpoint(app: App, now: number): Promise<StoredCheckpoint | null> {
  const origin = await auditOrigin(app.db)
  const written = await writeTransaction(app.db, app.dialect, async (trx) => {
    const hashes = await leafHashes(trx)
    const last = await trx.selectFrom('audit_checkpoints').selectAll().orderBy('size', 'desc').executeTakeFirst()
    if (hashes.length === 0) return null
    if (last && last.size >= hashes.length) return { size: last.size, rootHex: last.root, time: last.time, note: last.note, fresh: false }
    const acc = new MerkleAccumulator(sha256)
    for (const [i, h] of hashes.entries()) {
      acc.append(h)
      // Never sign over a prefix that no longer matches the previous signed checkpoint.
      if (last && i + 1 === last.size && toHex(acc.root()) !== last.root) {
        throw new DialwardError('integrity', 'AUDIT_TAMPERED', `the stored audit log no longer matches the checkpoint for size ${last.size}: run "dialward audit verify"`)
      }
    }
    const root = acc.root()
    const time = Math.max(now, last ? last.time + 1 : now)
    const note = signCheckpoint({ origin, size: hashes.length, root, time }, checkpointSigningKey(app.keyring, origin))
    await trx.insertInto('audit_checkpoints').values({ size: hashes.length, root: toHex(root), time, note }).execute()
    return { size: hashes.length, rootHex: toHex(root), time, note, fresh: true }
  })
  if (!written) return null
  if (written.fresh) appendCheckpointFile(app.config.checkpointPath, written)
  return { size: written.size, rootHex: written.rootHex, time: written.time, note: written.note }
}

/**
 * Signs a checkpoint when at least 1,000 entries or 5 minutes have passed since the last one.
 * A log whose stored prefix no longer matches its last checkpoint is not signed over; the command
 * that just committed still succeeds, and `audit verify` reports the tampering.
 */
export async function maybeCheckpoint(app: App, now: number): Promise<void> {
  const size = await auditLogSize(app.db)
  if (size === 0) return
  const last = await app.db.selectFrom('audit_checkpoints').select(['size', 'time']).orderBy('size', 'desc').executeTakeFirst()
  const lastSize = last?.size ?? 0
  if (size <= lastSize) return
  if (size - lastSize < CHECKPOINT_EVERY_ENTRIES && last && now - last.time < CHECKPOINT_EVERY_MS) return
  try {
    await writeCheckpoint(app, now)
  } catch (err) {
    if (!(err instanceof DialwardError && err.code === 'AUDIT_TAMPERED')) throw err
  }
}

function appendCheckpointFile(path: string, cp: StoredCheckpoint): void {
  const fd = openSync(path, 'a', 0o600)
  try {
    writeSync(fd, `${JSON.stringify(checkpointView(cp))}\n`)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}
