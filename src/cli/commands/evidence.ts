import { isAbsolute, relative, resolve } from 'node:path'
import type { Command } from 'commander'
import { invalidInput } from '../../core/errors.js'
import type { EvidenceDocument } from '../../core/evidence/evidence-document.js'
import { loadConfig } from '../../app/config.js'
import { requestContext } from '../../app/context.js'
import { maybeInstant, optionalName, requirePhone } from '../../app/input.js'
import { outputTarget, writeOutput, type OutputTarget } from '../../app/files/output-file.js'
import { EvidenceService, type EvidencePackage } from '../../app/services/evidence.js'
import { evidenceError } from '../../app/evidence/evidence-package.js'
import { emit, flagsOf, withServices } from '../session.js'

interface EvidenceFlags {
  phone?: string
  seller?: string
  at?: string
  out?: string
}

interface VerifyFlags {
  publicKey?: string
  checkpoints?: string
}

/** `dialward evidence [verify]`: everything needed to defend calls to one number, and its offline verification. */
export function registerEvidence(program: Command): void {
  const evidence = program
    .command('evidence')
    .description('everything needed to defend calls to one number, with audit proofs (PII: the read is audited)')
    .option('--phone <phone>')
    .option('--seller <name>', 'only this seller (and revocations covering every seller)')
    .option('--at <instant>', 'only facts at or before this instant')
    .option('--out <file.zip>', 'write a signed evidence package (ZIP with evidence.json, evidence.html, proofs, manifest); - for standard output')
    .action((f: EvidenceFlags, cmd: Command) =>
      withServices(cmd, 'existing', async (s, ctx) => {
        // Everything about the input is checked before anything is read or audited.
        const out = f.out === undefined ? null : evidenceOutput(f.out, s.config.dataDir, flagsOf(cmd).json === true)
        const query = { phone: requirePhone('phone', f.phone), seller: optionalName('seller', f.seller), at: maybeInstant('at', f.at) ?? null }
        if (out === null) {
          const doc = await s.evidence.document(ctx, query)
          emit(cmd, doc, renderSummary(doc))
          return
        }
        const pkg = await s.evidence.package(ctx, query)
        writeOutput(out, pkg.zip)
        const summary = packageSummary(out, pkg)
        const human = `wrote ${summary.out} (${pkg.zip.length} bytes, sha256 ${pkg.sha256}); it holds decrypted personal data: store and send it accordingly`
        if (out.kind === 'stdout') process.stderr.write(`${human}\n`)
        else emit(cmd, summary, human)
      }),
    )
  evidence
    .command('verify <file>')
    .description('verify an evidence package offline (needs no data directory)')
    .option('--public-key <pem>', "the operator's published signing key; the package must be signed by it")
    .option('--checkpoints <file>', "the operator's checkpoint file; the package's checkpoint must be in it")
    .action(async (file: string, f: VerifyFlags, cmd: Command) => {
      const ctx = requestContext(loadConfig({ data: flagsOf(cmd).data }, process.env).cliActor, 'admin')
      const v = EvidenceService.verifyPackage(ctx, {
        path: resolve(file),
        publicKeyPath: f.publicKey === undefined ? null : resolve(f.publicKey),
        checkpointsPath: f.checkpoints === undefined ? null : resolve(f.checkpoints),
      })
      if (flagsOf(cmd).json) emit(cmd, v, '')
      if (!v.ok) throw evidenceError(v)
      if (!flagsOf(cmd).json) {
        emit(cmd, v, `evidence package verifies: ${v.phone}, ${v.facts} facts, ${v.auditEntries} audit entries in checkpoint size ${v.checkpoint?.size} (root ${v.checkpoint?.root}); signing key SHA-256 ${v.publicKeySha256} — compare it with the operator's published fingerprint`)
      }
    })
}

/**
 * Where `--out` writes: outside the data directory (evidence holds decrypted personal data), a
 * writable new or regular file, or an existing FIFO or device written in place, or `-` for
 * standard output (then the package is the only thing on stdout, so `--json` is refused).
 */
function evidenceOutput(raw: string, dataDir: string, json: boolean): OutputTarget {
  if (raw === '-') {
    if (json) throw invalidInput('out', '- writes the package to standard output; leave out --json')
    return { kind: 'stdout' }
  }
  const rel = relative(dataDir, resolve(raw))
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) throw invalidInput('out', 'evidence holds decrypted personal data: write it outside the data directory')
  return outputTarget('out', raw)
}

function packageSummary(out: OutputTarget, pkg: EvidencePackage) {
  const doc = pkg.document
  return {
    out: out.kind === 'stdout' ? '-' : out.path,
    bytes: pkg.zip.length,
    sha256: pkg.sha256,
    files: pkg.files,
    phone: doc.query.phone,
    facts: { consentEvents: doc.consentEvents.length, dncEntries: doc.dncEntries.length, reassignedChecks: doc.reassignedChecks.length, decisions: doc.decisions.length, calls: doc.calls.length },
    readEntrySeq: doc.readEntrySeq,
    checkpoint: { size: doc.log.checkpoint.size, root: doc.log.checkpoint.root },
    publicKeySha256: doc.log.publicKeySha256,
  }
}

function renderSummary(doc: EvidenceDocument): string {
  return [
    `evidence for ${doc.query.phone}${doc.query.seller ? ` (seller ${doc.query.seller})` : ''}: ${doc.consentEvents.length} consent events, ${doc.dncEntries.length} do-not-call entries, ${doc.reassignedChecks.length} reassigned checks, ${doc.decisions.length} decisions, ${doc.calls.length} calls`,
    `audit entries ${doc.audit.map((e) => e.seq).join(', ')} proven in checkpoint size ${doc.log.checkpoint.size} (root ${doc.log.checkpoint.root}); this read is entry ${doc.readEntrySeq}`,
    'use --json for the full document, or --out FILE.zip for a signed package',
  ].join('\n')
}
