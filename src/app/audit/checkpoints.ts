import { randomBytes } from 'node:crypto'
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs'
import type { Kysely } from 'kysely'
import type { Database } from '../../store/schema.js'
import { writeTransaction } from '../../store/write-transaction.js'
import { MerkleAccumulator } from '../../core/audit/merkle-accumulator.js'
import { noteKeyId, signCheckpoint, type CheckpointSigningKey, type CheckpointTrust } from '../../core/audit/checkpoint.js'
import { fromHex, toHex } from '../../core/audit/bytes.js'
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

/** The log's origin line (`dialward/audit/<random id>`), created once per database. */
export async function auditOrigin(db: Kysely<Database>): Promise<string> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', ORIGIN_KEY).executeTakeFirst()
  if (row) return row.value
  const origin = `dialward/audit/${randomBytes(8).toString('hex')}`
  await db.insertInto('settings').values({ key: ORIGIN_KEY, value: origin }).onConflict((oc) => oc.doNothing()).execute()
  const again = await db.selectFrom('settings').select('value').where('key', '=', ORIGIN_KEY).executeTakeFirstOrThrow()
  return again.value
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

/** Leaf hashes of the audit log in order (seq 0, 1, …). */
export async function leafHashes(db: Kysely<Database>): Promise<Uint8Array[]> {
  const rows = await db.selectFrom('audit_log').select(['seq', 'leaf_hash']).orderBy('seq').execute()
  return rows.map((r) => fromHex(r.leaf_hash) ?? new Uint8Array(0))
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
    for (const h of hashes) acc.append(h)
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

/** Signs a checkpoint when at least 1,000 entries or 5 minutes have passed since the last one. */
export async function maybeCheckpoint(app: App, now: number): Promise<void> {
  const count = await app.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst()
  const size = Number(count?.n ?? 0)
  if (size === 0) return
  const last = await app.db.selectFrom('audit_checkpoints').select(['size', 'time']).orderBy('size', 'desc').executeTakeFirst()
  const lastSize = last?.size ?? 0
  if (size <= lastSize) return
  if (size - lastSize >= CHECKPOINT_EVERY_ENTRIES || !last || now - last.time >= CHECKPOINT_EVERY_MS) await writeCheckpoint(app, now)
}

function appendCheckpointFile(path: string, cp: StoredCheckpoint): void {
  const fd = openSync(path, 'a', 0o600)
  try {
    writeSync(fd, `${JSON.stringify({ size: cp.size, root: cp.rootHex, time: new Date(cp.time).toISOString(), note: cp.note })}\n`)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}
