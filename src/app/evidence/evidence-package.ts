import { createPublicKey } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { DialwardError, invalidInput } from '../../core/errors.js'
import type { EvidenceDocument } from '../../core/evidence/evidence-document.js'
import { MANIFEST_FILE, SIGNATURE_FILE, manifestBytes, manifestText } from '../../core/evidence/evidence-manifest.js'
import { renderEvidenceHtml } from '../../core/evidence/render-evidence-html.js'
import { EVIDENCE_FILE, verifyEvidence, type EvidenceVerification } from '../../core/evidence/verify-evidence.js'
import { parseCheckpoint } from '../../core/audit/checkpoint.js'
import { toHex, utf8 } from '../../core/audit/bytes.js'
import { ed25519PublicKeyBytes, ed25519Verifier, sha256, sign } from '../../crypto/signing.js'
import type { Keyring } from '../../crypto/keyring.js'
import { readCheckpointFile } from '../audit/checkpoint-file.js'
import { readZip, writeZip, type ZipEntry } from './zip-archive.js'
import { VERIFY_PROCEDURE } from './verify-procedure.js'

/**
 * Lays out an evidence package and returns it as a ZIP archive:
 *
 * - `evidence.json`   the evidence document (the record)
 * - `evidence.html`   the same, for people
 * - `checkpoint.txt`  the signed checkpoint note every inclusion proof is against
 * - `public-key.pem`  the Ed25519 key that signed the checkpoint and the manifest (SPKI PEM)
 * - `disclosures/<sha256>.txt`  each disclosure text, byte-exact (so `sha256sum` shows its hash)
 * - `VERIFY.txt`      the verification procedure
 * - `manifest.json`   SHA-256 and size of each file above; `manifest.sig` its Ed25519 signature
 */
export function buildEvidencePackage(doc: EvidenceDocument, keyring: Keyring): Buffer {
  const files: ZipEntry[] = [
    { path: EVIDENCE_FILE, bytes: utf8(`${JSON.stringify(doc, null, 2)}\n`) },
    { path: 'evidence.html', bytes: utf8(renderEvidenceHtml(doc)) },
    { path: 'checkpoint.txt', bytes: utf8(doc.log.checkpoint.note) },
    { path: 'public-key.pem', bytes: utf8(keyring.signingPublicKey().export({ format: 'pem', type: 'spki' }).toString()) },
  ]
  const seen = new Set<string>()
  for (const c of doc.consentEvents) {
    if (!c.disclosure || c.disclosure.text === null || seen.has(c.disclosure.sha256)) continue
    seen.add(c.disclosure.sha256)
    files.push({ path: `disclosures/${c.disclosure.sha256}.txt`, bytes: utf8(c.disclosure.text) })
  }
  files.push({ path: 'VERIFY.txt', bytes: utf8(VERIFY_PROCEDURE) })
  const manifest = manifestBytes(
    manifestText(sha256, files, {
      createdAt: doc.generatedAt,
      origin: doc.log.origin,
      signingKey: { alg: 'Ed25519', publicKey: doc.log.publicKey, publicKeySha256: doc.log.publicKeySha256 },
    }),
  )
  const signature = sign(keyring, manifest).toString('base64')
  return writeZip([...files, { path: MANIFEST_FILE, bytes: manifest }, { path: SIGNATURE_FILE, bytes: utf8(`${signature}\n`) }])
}

/** Options of `dialward evidence verify`. */
export interface VerifyPackageOptions {
  /** A PEM (SPKI) Ed25519 public key the package must be signed by. */
  readonly publicKeyPath?: string | null
  /** The operator's checkpoint file: the package's checkpoint must be one of its lines. */
  readonly checkpointsPath?: string | null
}

/**
 * Verifies an evidence package offline (no data directory, no database, no keyring): the ZIP
 * archive as written — which must be byte-for-byte the archive Dialward writes for its files, so
 * a change to any byte of it fails — or a directory it was unzipped into.
 */
export function verifyEvidencePackage(path: string, options: VerifyPackageOptions = {}): EvidenceVerification {
  let files: Map<string, Uint8Array>
  let container: string | null = null
  try {
    if (statSync(path).isDirectory()) files = readDirectory(path)
    else {
      const archive = readFileSync(path)
      const entries = readZip(archive)
      files = new Map(entries.map((e) => [e.path, e.bytes] as const))
      if (!writeZip(entries).equals(archive)) container = 'the archive itself was changed (its bytes are not those Dialward wrote for these files); unzip it and verify the directory to check the files alone'
    }
  } catch (err) {
    if (err instanceof DialwardError) throw err
    throw new DialwardError('NOT_FOUND', `cannot read evidence package ${path}`)
  }
  let pinned: Uint8Array | null = null
  if (options.publicKeyPath) {
    try {
      pinned = ed25519PublicKeyBytes(createPublicKey(readFileSync(options.publicKeyPath)))
    } catch {
      throw invalidInput('publicKey', `${options.publicKeyPath} is not an Ed25519 public key (PEM)`)
    }
  }
  let known: { size: number; root: string }[] | null = null
  if (options.checkpointsPath) {
    known = readCheckpointFile(options.checkpointsPath).flatMap((l) => {
      const p = parseCheckpoint(l.note)
      return p.ok ? [{ size: p.value.checkpoint.size, root: toHex(p.value.checkpoint.root) }] : []
    })
  }
  const v = verifyEvidence(files, { sha256, ed25519: ed25519FromRaw, pinnedPublicKey: pinned, knownCheckpoints: known })
  return container === null ? v : { ...v, ok: false, problems: [container, ...v.problems] }
}

function readDirectory(root: string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>()
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name)
      if (statSync(p).isDirectory()) walk(p)
      else out.set(relative(root, p).split(sep).join('/'), readFileSync(p))
    }
  }
  walk(root)
  return out
}

function ed25519FromRaw(raw: Uint8Array): ReturnType<typeof ed25519Verifier> | null {
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' })
    return ed25519Verifier(key)
  } catch {
    return null
  }
}

/** The error `evidence verify` exits with (3) when a package fails verification. */
export function evidenceError(v: EvidenceVerification): DialwardError {
  return new DialwardError('EVIDENCE_INVALID', `evidence package does not verify: ${v.problems[0] ?? 'unknown problem'}${v.problems.length > 1 ? ` (and ${v.problems.length - 1} more problems)` : ''}`)
}
