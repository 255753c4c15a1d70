/**
 * Signed tree heads ("checkpoints") in the C2SP tlog-checkpoint / signed-note format:
 *
 * ```
 * dialward.example/audit            origin: names the log
 * 1042                              tree size, decimal
 * 3q2+7w4bq0Gd…=                    root hash, standard base64
 * 2026-12-01T20:00:00.000Z          signing time, ISO-8601 UTC with milliseconds
 *                                   (blank line)
 * — dialward.example/audit AbCdEf…  em dash, key name, base64(4-byte key id ‖ Ed25519 signature)
 * ```
 *
 * The signature covers the body (the four lines, each ending in `\n`). The time line is a C2SP
 * extension line. Key ids follow signed notes: the first 4 bytes of
 * SHA-256(name ‖ 0x0A ‖ 0x01 ‖ raw Ed25519 public key). Signing and verification are injected.
 */
import type { Instant } from '../time/instant.js'
import { bytesEqual, concatBytes, fromBase64, toBase64, utf8 } from './bytes.js'
import { HASH_SIZE, type Hasher } from './hasher.js'

/** Signs bytes (Ed25519 in production), returning the raw signature. */
export type Signer = (bytes: Uint8Array) => Uint8Array
/** Checks a raw signature over bytes; must return false (not throw) on any malformed input. */
export type Verifier = (bytes: Uint8Array, signature: Uint8Array) => boolean

/** A tree head: the log `origin` had `size` entries with `root` at `time`. */
export interface Checkpoint {
  readonly origin: string
  readonly size: number
  readonly root: Uint8Array
  readonly time: Instant
}

/** One signature line of a note. */
export interface NoteSignature {
  readonly name: string
  /** 4 bytes identifying the key (see `noteKeyId`). */
  readonly keyId: Uint8Array
  readonly signature: Uint8Array
}

/** A parsed checkpoint note: the checkpoint, the exact signed body text and its signatures. */
export interface SignedCheckpoint {
  readonly checkpoint: Checkpoint
  readonly body: string
  readonly signatures: readonly NoteSignature[]
}

/** The key a checkpoint is signed with. */
export interface CheckpointSigningKey {
  readonly name: string
  readonly keyId: Uint8Array
  readonly sign: Signer
}

/** What a verifier trusts: the log origin and the public key (name, id, verify function). */
export interface CheckpointTrust {
  readonly origin: string
  readonly name: string
  readonly keyId: Uint8Array
  readonly verify: Verifier
}

/** Result of parsing or verifying: the value, or every problem found. */
export type CheckpointResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly string[] }

/** Signature type byte of Ed25519 in signed notes. */
const ED25519_TYPE = 0x01
const EM_DASH = '\u2014'
const MAX_NOTE_LENGTH = 16_384
const MAX_SIGNATURES = 100
const MAX_INSTANT = 253_402_300_799_999 // 9999-12-31T23:59:59.999Z
const SIZE = /^(?:0|[1-9][0-9]{0,15})$/
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
// Control characters other than those we split on are never allowed in a note.
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f]/
const SIGNATURE_LINE = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/u

/** Problems with an origin string (non-empty, ≤ 255 chars, no control chars, no edge spaces). */
function originProblems(origin: string): string[] {
  if (typeof origin !== 'string' || origin.length === 0 || origin.length > 255) return ['origin must be 1-255 characters']
  if (CONTROL.test(origin) || origin.includes('\n')) return ['origin must not contain control characters']
  if (origin.trim() !== origin) return ['origin must not start or end with spaces']
  return []
}

function nameProblems(name: string): string[] {
  return typeof name === 'string' && /^[^\s+]+$/u.test(name) && !CONTROL.test(name) ? [] : ['key name must be non-empty without spaces or "+"']
}

function formatTime(t: Instant): string {
  return new Date(t).toISOString()
}

function checkpointProblems(cp: Checkpoint): string[] {
  const errors = originProblems(cp.origin)
  if (!Number.isSafeInteger(cp.size) || cp.size < 0) errors.push('size must be a non-negative integer')
  if (!(cp.root instanceof Uint8Array) || cp.root.length !== HASH_SIZE) errors.push('root must be 32 bytes')
  if (!Number.isSafeInteger(cp.time) || cp.time < 0 || cp.time > MAX_INSTANT) errors.push('time must be an instant between 1970 and 9999')
  return errors
}

/**
 * The signed body of a checkpoint: `origin\nsize\nbase64(root)\ntime\n`, time as
 * `YYYY-MM-DDTHH:MM:SS.sssZ`.
 *
 * @throws TypeError when the checkpoint is invalid
 */
export function checkpointBody(cp: Checkpoint): string {
  const errors = checkpointProblems(cp)
  if (errors.length > 0) throw new TypeError(`invalid checkpoint: ${errors.join('; ')}`)
  return `${cp.origin}\n${cp.size}\n${toBase64(cp.root)}\n${formatTime(cp.time)}\n`
}

/**
 * Signed-note key id: the first 4 bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ publicKey), where
 * `publicKey` is the raw 32-byte Ed25519 key.
 */
export function noteKeyId(h: Hasher, name: string, publicKey: Uint8Array): Uint8Array {
  return h(concatBytes(utf8(name), Uint8Array.of(0x0a, ED25519_TYPE), publicKey)).slice(0, 4)
}

/**
 * The complete checkpoint note: body, blank line, one signature line by `key`.
 *
 * @throws TypeError when the checkpoint or key is invalid
 */
export function signCheckpoint(cp: Checkpoint, key: CheckpointSigningKey): string {
  const body = checkpointBody(cp)
  const errors = nameProblems(key.name)
  if (key.keyId.length !== 4) errors.push('key id must be 4 bytes')
  if (errors.length > 0) throw new TypeError(`invalid signing key: ${errors.join('; ')}`)
  const signature = key.sign(utf8(body))
  return `${body}\n${EM_DASH} ${key.name} ${toBase64(concatBytes(key.keyId, signature))}\n`
}

/**
 * Parses a checkpoint note strictly: exactly the four body lines in canonical form (decimal size
 * without leading zeros, canonical padded base64 of 32 bytes, the exact time format), a blank line,
 * then 1–100 signature lines, every line ending in `\n`, no CR or other control characters. Never
 * throws; returns every problem found. Signatures are not checked here (see `verifyCheckpoint`).
 */
export function parseCheckpoint(text: string): CheckpointResult<SignedCheckpoint> {
  const fail = (...errors: string[]): CheckpointResult<SignedCheckpoint> => ({ ok: false, errors })
  if (typeof text !== 'string') return fail('checkpoint must be text')
  if (text.length > MAX_NOTE_LENGTH) return fail(`checkpoint longer than ${MAX_NOTE_LENGTH} characters`)
  if (CONTROL.test(text)) return fail('checkpoint contains a control character (CR, tab, NUL …)')
  const split = text.indexOf('\n\n')
  if (split < 0) return fail('checkpoint needs a blank line between body and signatures')
  const body = text.slice(0, split + 1)
  const sigText = text.slice(split + 2)
  const errors: string[] = []

  const lines = body.slice(0, -1).split('\n')
  if (lines.length !== 4) return fail(`checkpoint body must have 4 lines (origin, size, root, time), found ${lines.length}`)
  const [origin, sizeText, rootText, timeText] = lines as [string, string, string, string]
  errors.push(...originProblems(origin))
  const size = SIZE.test(sizeText) ? Number(sizeText) : NaN
  if (!Number.isSafeInteger(size)) errors.push('size must be a decimal integer without leading zeros')
  const root = fromBase64(rootText)
  if (root === null || root.length !== HASH_SIZE) errors.push('root must be canonical base64 of 32 bytes')
  const time = TIME.test(timeText) ? Date.parse(timeText) : NaN
  if (!Number.isSafeInteger(time) || time < 0 || formatTime(time) !== timeText) errors.push('time must be YYYY-MM-DDTHH:MM:SS.sssZ (UTC, a real date)')

  const signatures: NoteSignature[] = []
  if (sigText === '' || !sigText.endsWith('\n')) {
    errors.push('checkpoint needs signature lines, each ending in a newline')
  } else {
    const sigLines = sigText.slice(0, -1).split('\n')
    if (sigLines.length > MAX_SIGNATURES) errors.push(`more than ${MAX_SIGNATURES} signature lines`)
    sigLines.slice(0, MAX_SIGNATURES).forEach((line, i) => {
      const m = SIGNATURE_LINE.exec(line)
      const raw = m ? fromBase64(m[2]!) : null
      if (!m || raw === null || raw.length < 5 || nameProblems(m[1]!).length > 0) {
        errors.push(`signature line ${i + 1} must be "${EM_DASH} name base64(keyid ‖ signature)"`)
        return
      }
      signatures.push({ name: m[1]!, keyId: raw.slice(0, 4), signature: raw.slice(4) })
    })
  }
  if (errors.length > 0) return fail(...errors)
  const checkpoint: Checkpoint = { origin, size, root: root!, time }
  if (checkpointBody(checkpoint) !== body) return fail('checkpoint body is not in canonical form')
  return { ok: true, value: { checkpoint, body, signatures } }
}

/**
 * Parses a checkpoint note and checks it against `trust`: the origin must match, at least one
 * signature line must carry the trusted key's name and id, and every such line must verify over
 * the body. Lines by other keys (witness cosignatures) are ignored. Never throws.
 */
export function verifyCheckpoint(text: string, trust: CheckpointTrust): CheckpointResult<SignedCheckpoint> {
  const parsed = parseCheckpoint(text)
  if (!parsed.ok) return parsed
  const { checkpoint, body, signatures } = parsed.value
  if (checkpoint.origin !== trust.origin) {
    return { ok: false, errors: [`origin ${JSON.stringify(checkpoint.origin)} is not the trusted ${JSON.stringify(trust.origin)}`] }
  }
  const ours = signatures.filter((s) => s.name === trust.name && bytesEqual(s.keyId, trust.keyId))
  if (ours.length === 0) return { ok: false, errors: [`no signature by trusted key ${trust.name}`] }
  const bytes = utf8(body)
  for (const s of ours) {
    let valid = false
    try {
      valid = trust.verify(bytes, s.signature) === true
    } catch {
      valid = false
    }
    if (!valid) return { ok: false, errors: [`signature by ${trust.name} does not verify`] }
  }
  return parsed
}
