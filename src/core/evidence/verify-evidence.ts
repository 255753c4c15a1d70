/**
 * Offline verification of an evidence package (the files of the archive, by path). Pure: hashing
 * and Ed25519 verification are injected. Checks, in order:
 *
 * 1. `manifest.sig` is a valid Ed25519 signature over `manifest.json` by the key the manifest
 *    names (and, when `pinnedPublicKey` is given, that key is the pinned one);
 * 2. the package holds exactly the files the manifest lists, each with the listed SHA-256 and size;
 * 3. `evidence.json` names the same key and origin; its checkpoint note is validly signed by that
 *    key and matches the size, root and time it states;
 * 4. every audit entry's canonical text is the canonical form of its fields, its leaf hash is
 *    SHA-256(0x00 ‖ canonical), and its inclusion proof leads to the checkpoint root;
 * 5. every fact names an audit entry that is about it (same id, same key fields), every
 *    disclosure text hashes to its SHA-256, and the read of this evidence is itself in the log.
 */
import { canonicalEntryJson, type AuditEntry } from '../audit/audit-entry.js'
import { bytesEqual, fromBase64, fromHex, toHex, utf8 } from '../audit/bytes.js'
import { noteKeyId, verifyCheckpoint, type Verifier } from '../audit/checkpoint.js'
import type { Hasher } from '../audit/hasher.js'
import { leafHash, verifyInclusion } from '../audit/merkle.js'
import { EVIDENCE_FORMAT, EVIDENCE_VERSION, type EvidenceAuditEntry, type EvidenceDocument } from './evidence-document.js'
import { MANIFEST_FILE, SIGNATURE_FILE, parseManifest } from './evidence-manifest.js'

/** Name of the evidence document inside a package. */
export const EVIDENCE_FILE = 'evidence.json'

/** What verification needs from the outside world. */
export interface EvidenceVerifierDeps {
  readonly sha256: Hasher
  /** An Ed25519 verifier for a raw 32-byte public key, or null when the bytes are not a key. */
  readonly ed25519: (publicKey: Uint8Array) => Verifier | null
  /** When given, the package must be signed by exactly this raw public key. */
  readonly pinnedPublicKey?: Uint8Array | null
  /** When given (from the operator's shipped checkpoint file), the package's checkpoint must be one of these. */
  readonly knownCheckpoints?: readonly { readonly size: number; readonly root: string }[] | null
}

/** The verdict, with every problem found (empty when the package verifies). */
export interface EvidenceVerification {
  readonly ok: boolean
  readonly problems: readonly string[]
  readonly phone: string | null
  readonly subject: string | null
  readonly checkpoint: { readonly size: number; readonly root: string; readonly time: string } | null
  readonly publicKeySha256: string | null
  readonly files: number
  readonly auditEntries: number
  readonly facts: number
}

/** Verifies the files of an evidence package. Never throws for bad input. */
export function verifyEvidence(files: ReadonlyMap<string, Uint8Array>, deps: EvidenceVerifierDeps): EvidenceVerification {
  const problems: string[] = []
  const result = (doc: EvidenceDocument | null, facts = 0): EvidenceVerification => ({
    ok: problems.length === 0,
    problems,
    phone: doc?.query?.phone ?? null,
    subject: doc?.subject ?? null,
    checkpoint: doc?.log?.checkpoint ? { size: doc.log.checkpoint.size, root: doc.log.checkpoint.root, time: doc.log.checkpoint.time } : null,
    publicKeySha256: doc?.log?.publicKeySha256 ?? null,
    files: files.size,
    auditEntries: Array.isArray(doc?.audit) ? doc.audit.length : 0,
    facts,
  })

  // 1. manifest and its signature
  const manifestRaw = files.get(MANIFEST_FILE)
  const sigRaw = files.get(SIGNATURE_FILE)
  if (!manifestRaw || !sigRaw) {
    problems.push(`the package has no ${!manifestRaw ? MANIFEST_FILE : SIGNATURE_FILE}`)
    return result(null)
  }
  const parsed = parseManifest(manifestRaw)
  if (!parsed.ok) {
    problems.push(...parsed.errors)
    return result(null)
  }
  const manifest = parsed.value
  const publicKey = fromBase64(manifest.signingKey.publicKey)
  const verify = publicKey && publicKey.length === 32 ? deps.ed25519(publicKey) : null
  if (!publicKey || !verify) {
    problems.push('manifest.json: signingKey.publicKey is not a raw Ed25519 public key in base64')
    return result(null)
  }
  if (deps.pinnedPublicKey && !bytesEqual(deps.pinnedPublicKey, publicKey)) {
    problems.push('the package is signed by a different key than the one given with --public-key')
  }
  if (manifest.signingKey.publicKeySha256 !== toHex(deps.sha256(publicKey))) problems.push('manifest.json: publicKeySha256 is not the SHA-256 of the public key')
  const sigText = new TextDecoder().decode(sigRaw)
  const sig = sigText.endsWith('\n') ? fromBase64(sigText.slice(0, -1)) : null
  if (!sig || !safeVerify(verify, manifestRaw, sig)) problems.push('manifest.sig: the signature over manifest.json does not verify (the manifest was changed or signed by another key)')

  // 2. exactly the listed files, each with its hash
  const listed = new Set<string>()
  for (const f of manifest.files) {
    if (listed.has(f.path)) problems.push(`manifest.json lists ${f.path} twice`)
    listed.add(f.path)
    const bytes = files.get(f.path)
    if (!bytes) {
      problems.push(`${f.path} is listed in the manifest but missing from the package`)
      continue
    }
    if (bytes.length !== f.bytes || toHex(deps.sha256(bytes)) !== f.sha256) problems.push(`${f.path} was changed: its SHA-256 is not the one in the manifest`)
  }
  for (const path of files.keys()) {
    if (path !== MANIFEST_FILE && path !== SIGNATURE_FILE && !listed.has(path)) problems.push(`${path} is in the package but not in the manifest`)
  }

  // 3. the evidence document and its checkpoint
  const docBytes = files.get(EVIDENCE_FILE)
  if (!docBytes || !listed.has(EVIDENCE_FILE)) {
    problems.push(`the package has no signed ${EVIDENCE_FILE}`)
    return result(null)
  }
  let doc: EvidenceDocument
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(docBytes)) as EvidenceDocument
  } catch {
    problems.push(`${EVIDENCE_FILE} is not valid UTF-8 JSON`)
    return result(null)
  }
  if (typeof doc !== 'object' || doc === null || doc.format !== EVIDENCE_FORMAT || doc.version !== EVIDENCE_VERSION) {
    problems.push(`${EVIDENCE_FILE} is not a ${EVIDENCE_FORMAT} version ${EVIDENCE_VERSION} document`)
    return result(null)
  }
  try {
    const facts = checkDocument(doc, manifest.origin, manifest.signingKey.publicKey, publicKey, verify, deps, problems)
    return result(doc, facts)
  } catch (err) {
    problems.push(`${EVIDENCE_FILE} is malformed: ${err instanceof Error ? err.message : String(err)}`)
    return result(doc)
  }
}

function safeVerify(verify: Verifier, bytes: Uint8Array, sig: Uint8Array): boolean {
  try {
    return verify(bytes, sig) === true
  } catch {
    return false
  }
}

function checkDocument(
  doc: EvidenceDocument,
  origin: string,
  publicKeyB64: string,
  publicKey: Uint8Array,
  verify: Verifier,
  deps: EvidenceVerifierDeps,
  problems: string[],
): number {
  const { log } = doc
  if (log.origin !== origin || log.publicKey !== publicKeyB64) problems.push(`${EVIDENCE_FILE}: log origin or key differs from the manifest's`)
  const trust = { origin, name: origin, keyId: noteKeyId(deps.sha256, origin, publicKey), verify }
  const cp = verifyCheckpoint(log.checkpoint.note, trust)
  if (!cp.ok) {
    problems.push(`checkpoint: ${cp.errors.join('; ')}`)
    return 0
  }
  const head = cp.value.checkpoint
  if (head.size !== log.checkpoint.size || toHex(head.root) !== log.checkpoint.root || new Date(head.time).toISOString() !== log.checkpoint.time) {
    problems.push('checkpoint: size, root or time differ from the signed note')
  }
  if (deps.knownCheckpoints && !deps.knownCheckpoints.some((k) => k.size === head.size && k.root === toHex(head.root))) {
    problems.push(`checkpoint for size ${head.size} is not in the given checkpoint file`)
  }

  const bySeq = new Map<number, EvidenceAuditEntry>()
  for (const e of doc.audit) {
    if (bySeq.has(e.seq)) problems.push(`audit entry ${e.seq} appears twice`)
    bySeq.set(e.seq, e)
    checkEntry(e, head.size, head.root, deps, problems)
  }

  const tie = (what: string, seq: number | null, action: string | readonly string[], idKey: string, id: string, fields: Record<string, unknown>, about: string | null = doc.subject): void => {
    if (seq === null) {
      problems.push(`${what} ${id} has no audit entry`)
      return
    }
    const e = bySeq.get(seq)
    const actions = typeof action === 'string' ? [action] : action
    if (!e) return void problems.push(`${what} ${id} names audit entry ${seq}, which the package does not hold`)
    if (!actions.includes(e.action) || e.data[idKey] !== id) return void problems.push(`${what} ${id}: audit entry ${seq} is about something else`)
    if (e.subject !== null && e.subject !== about) problems.push(`${what} ${id}: audit entry ${seq} is about another number`)
    for (const [k, v] of Object.entries(fields)) {
      if (e.data[k] !== v) problems.push(`${what} ${id}: ${k} is ${JSON.stringify(v)} here but ${JSON.stringify(e.data[k])} in audit entry ${seq}`)
    }
  }
  let facts = 0
  for (const c of doc.consentEvents) {
    facts++
    const fields: Record<string, unknown> =
      c.type === 'grant'
        ? { seller: c.seller, kind: c.kind, channel: c.channel, at: c.at, disclosureSha256: c.disclosure?.sha256 ?? null }
        : { seller: c.seller, via: c.via, at: c.at }
    tie('consent event', c.auditSeq, `consent.${c.type}`, 'event', c.id, fields)
    if (c.disclosure && c.disclosure.text !== null && toHex(deps.sha256(utf8(c.disclosure.text))) !== c.disclosure.sha256) {
      problems.push(`consent event ${c.id}: the disclosure text does not hash to its SHA-256`)
    }
  }
  for (const d of doc.dncEntries) {
    facts++
    tie('do-not-call entry', d.auditSeq, 'dnc.add', 'entry', d.id, { seller: d.seller, at: d.at })
  }
  for (const r of doc.reassignedChecks) {
    facts++
    tie('reassigned check', r.auditSeq, 'reassigned.record', 'check', r.id, { date: r.date, result: r.result })
  }
  for (const c of doc.calls) {
    facts++
    tie('call', c.auditSeq, 'calls.record', 'call', c.id, { campaign: c.campaign, at: c.at, outcome: c.outcome })
  }
  for (const d of doc.decisions) {
    facts++
    if (d.source === 'check') {
      tie('decision', d.auditSeq, 'gate.check', 'decision', d.id, { campaign: d.campaign, at: d.at, verdict: d.verdict, reasons: d.reasons.map((r) => r.code).join(';') })
    } else if (d.source.startsWith('batch_')) {
      // a batch entry (the server's group commit, a batch check) is about its batch
      tie('decision', d.auditSeq, 'gate.check.batch', 'batch', d.source, {}, d.source.slice('batch_'.length))
    } else {
      tie('decision', d.auditSeq, 'gate.scrub', 'run', d.source, { campaign: d.campaign, at: d.at })
    }
  }
  const read = bySeq.get(doc.readEntrySeq)
  if (!read || read.action !== 'pii.read' || read.subject !== doc.subject) problems.push('the read of this evidence is not recorded in the audit entries')
  return facts
}

function checkEntry(e: EvidenceAuditEntry, size: number, root: Uint8Array, deps: EvidenceVerifierDeps, problems: string[]): void {
  const entry: AuditEntry = { seq: e.seq, at: e.at, actor: e.actor, action: e.action, subject: e.subject, data: e.data }
  let canonical: string
  try {
    canonical = canonicalEntryJson(entry)
  } catch {
    problems.push(`audit entry ${e.seq} is malformed`)
    return
  }
  if (canonical !== e.canonical) problems.push(`audit entry ${e.seq}: canonical text does not match its fields`)
  const leaf = leafHash(deps.sha256, utf8(canonical))
  if (toHex(leaf) !== e.leafHash) problems.push(`audit entry ${e.seq}: leaf hash does not match its content`)
  const proof = Array.isArray(e.inclusionProof) ? e.inclusionProof.map((h) => fromHex(h) ?? new Uint8Array(0)) : []
  if (!verifyInclusion(deps.sha256, e.seq, size, leaf, proof, root)) problems.push(`audit entry ${e.seq}: inclusion proof does not lead to the checkpoint root`)
}
