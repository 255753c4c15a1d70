/**
 * The signed manifest of an evidence package: `manifest.json` lists every other file of the
 * package with its SHA-256 and size; `manifest.sig` holds base64(Ed25519 signature over the exact
 * bytes of `manifest.json`) and a newline. Editing, adding, removing or renaming any file — the
 * HTML page included — breaks either a hash or the signature.
 */
import { toHex, utf8 } from '../audit/bytes.js'
import type { Hasher } from '../audit/hasher.js'

/** Name of the manifest file inside a package. */
export const MANIFEST_FILE = 'manifest.json'
/** Name of the manifest signature file inside a package. */
export const SIGNATURE_FILE = 'manifest.sig'
/** Format tag of the manifest. */
export const MANIFEST_FORMAT = 'dialward.evidence-manifest'

/** One listed file. */
export interface ManifestFile {
  readonly path: string
  readonly sha256: string
  readonly bytes: number
}

/** The manifest document. */
export interface EvidenceManifest {
  readonly format: typeof MANIFEST_FORMAT
  readonly version: 1
  readonly createdAt: string
  readonly origin: string
  readonly signingKey: { readonly alg: 'Ed25519'; readonly publicKey: string; readonly publicKeySha256: string }
  readonly files: readonly ManifestFile[]
}

/**
 * The manifest text for `files` (every package file except the manifest and its signature), in the
 * order given, pretty-printed JSON with a final newline.
 */
export function manifestText(
  h: Hasher,
  files: readonly { readonly path: string; readonly bytes: Uint8Array }[],
  meta: Pick<EvidenceManifest, 'createdAt' | 'origin' | 'signingKey'>,
): string {
  const manifest: EvidenceManifest = {
    format: MANIFEST_FORMAT,
    version: 1,
    createdAt: meta.createdAt,
    origin: meta.origin,
    signingKey: meta.signingKey,
    files: files.map((f) => ({ path: f.path, sha256: toHex(h(f.bytes)), bytes: f.bytes.length })),
  }
  return `${JSON.stringify(manifest, null, 2)}\n`
}

/** Parses manifest bytes; returns the manifest or the problems found. Never throws. */
export function parseManifest(bytes: Uint8Array): { ok: true; value: EvidenceManifest } | { ok: false; errors: string[] } {
  let doc: unknown
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch {
    return { ok: false, errors: ['manifest.json is not valid UTF-8 JSON'] }
  }
  const errors: string[] = []
  const m = doc as Partial<EvidenceManifest> | null
  if (typeof m !== 'object' || m === null) return { ok: false, errors: ['manifest.json is not an object'] }
  if (m.format !== MANIFEST_FORMAT || m.version !== 1) errors.push(`manifest.json is not a ${MANIFEST_FORMAT} version 1 document`)
  if (typeof m.origin !== 'string') errors.push('manifest.json: origin missing')
  if (typeof m.signingKey?.publicKey !== 'string' || m.signingKey.alg !== 'Ed25519') errors.push('manifest.json: signingKey must name an Ed25519 public key')
  if (!Array.isArray(m.files)) errors.push('manifest.json: files must be a list')
  else {
    for (const [i, f] of m.files.entries()) {
      const ok = typeof f === 'object' && f !== null && typeof f.path === 'string' && typeof f.sha256 === 'string' && /^[0-9a-f]{64}$/.test(f.sha256) && Number.isSafeInteger(f.bytes)
      if (!ok) errors.push(`manifest.json: files[${i}] must have path, sha256 (hex) and bytes`)
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: m as EvidenceManifest }
}

/** UTF-8 bytes of the manifest text (what is signed). */
export function manifestBytes(text: string): Uint8Array {
  return utf8(text)
}
