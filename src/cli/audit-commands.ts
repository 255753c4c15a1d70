import { createHash } from 'node:crypto'
import { existsSync, statSync } from 'node:fs'
import { dirname, relative, resolve, isAbsolute } from 'node:path'
import type { Command } from 'commander'
import { invalidInput } from '../core/errors.js'
import { verifyAudit, tamperError } from '../app/audit/verify-audit.js'
import { auditProof } from '../app/audit/audit-proof.js'
import { collectEvidence } from '../app/evidence/collect-evidence.js'
import { buildEvidencePackage, evidenceError, verifyEvidencePackage } from '../app/evidence/evidence-package.js'
import { readZip } from '../app/evidence/zip-archive.js'
import { rotateKeys } from '../app/keys/rotate-keys.js'
import { keyInventory } from '../app/keys/key-inventory.js'
import { writeFileAtomic } from '../crypto/atomic-file.js'
import { emit, withServices, flagsOf } from './session.js'

type Flags = Record<string, unknown>

/** Test hook: SIGKILL this process after N data keys were re-wrapped (before that batch commits). */
const CRASH_ENV = 'DIALWARD_TEST_CRASH_AFTER_N_REWRAPS'

function count(field: string, value: unknown): number | null {
  if (value === undefined) return null
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) throw invalidInput(field, 'must be a whole number (0 or more)')
  return Number(value)
}

/** Adds `audit verify|proof`, `evidence [verify]` and `keys rotate|list` to the program. */
export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the tamper-evident audit log')
  
    audit
      .command('verify')
      .description('recompute the audit log and check every signed checkpoint; exit 3 naming the first bad entry when tampered')
      .option('--checkpoints <file>', 'verify against this checkpoint file (the off-machine copy) instead of the database')
  .action((f: Flags, cmd: Command) =>
    withServices(cmd, 'existing', async (s, ctx) => {
      const app = s.legacy
      void ctx
      const file = typeof f['checkpoints'] === 'string' ? resolve(f['checkpoints']) : null
      const r = await verifyAudit(app, file)
      if (!r.ok) {
        if (flagsOf(cmd).json) emit(cmd, r, '')
        throw tamperError(r)
      }
      const latest = r.latestCheckpoint
      emit(
        cmd,
        r,
        `audit log intact: ${r.entries} entries, root ${r.root}; ${r.checkpoints} signed checkpoint(s) from the ${r.checkpointSource}` +
          (latest ? `, latest covers ${latest.size} (${latest.time})` : '') +
          (r.uncovered > 0 ? `; ${r.uncovered} newer entries not yet checkpointed` : ''),
      )
    }),
  )
  
    audit
      .command('proof')
      .description('print an inclusion proof of one entry against the latest signed checkpoint')
      .requiredOption('--entry <seq>', 'the entry (seq, from 0)')
      .option('--from <size>', 'also prove the latest checkpoint consistent with the earlier one of this size')
  .action((f: Flags, cmd: Command) =>
    withServices(cmd, 'existing', async (s, ctx) => {
      const app = s.legacy
      void ctx
      const p = await auditProof(app, count('--entry', f['entry'])!, count('--from', f['from']))
      emit(cmd, p, [`entry ${p.entry.seq} (${p.entry.action}) leaf ${p.entry.leafHash}`, `in checkpoint size ${p.checkpoint.size} root ${p.checkpoint.root}`, ...p.inclusionProof.map((h, i) => `  ${i}: ${h}`)].join('\n'))
    }),
  )

  const evidence = 
    program
      .command('evidence')
      .description('everything needed to defend calls to one number, with audit proofs (PII: the read is audited)')
      .option('--phone <phone>')
      .option('--seller <name>', 'only this seller (and revocations covering every seller)')
      .option('--at <instant>', 'only facts at or before this instant')
      .option('--out <file.zip>', 'write a signed evidence package (ZIP with evidence.json, evidence.html, proofs, manifest)')
  .action((f: Flags, cmd: Command) =>
    withServices(cmd, 'existing', async (s, ctx) => {
      const app = s.legacy
      void ctx
      const out = typeof f['out'] === 'string' ? checkOutPath(f['out'], app.config.dataDir) : null
      const doc = await collectEvidence(app, f, out === null ? 'json' : 'zip')
      if (out === null) {
        emit(cmd, doc, renderSummary(doc))
        return
      }
      const zip = buildEvidencePackage(doc, app.keyring)
      writeFileAtomic(out, zip, { mode: 0o600 })
      const summary = {
        out,
        bytes: zip.length,
        sha256: createHash('sha256').update(zip).digest('hex'),
        files: readZip(zip).map((e) => e.path),
        phone: doc.query.phone,
        facts: { consentEvents: doc.consentEvents.length, dncEntries: doc.dncEntries.length, reassignedChecks: doc.reassignedChecks.length, decisions: doc.decisions.length, calls: doc.calls.length },
        readEntrySeq: doc.readEntrySeq,
        checkpoint: { size: doc.log.checkpoint.size, root: doc.log.checkpoint.root },
        publicKeySha256: doc.log.publicKeySha256,
      }
      emit(cmd, summary, `wrote ${out} (${zip.length} bytes, sha256 ${summary.sha256}); it holds decrypted personal data: store and send it accordingly`)
    }),
  )
  evidence
    .command('verify <file>')
    .description('verify an evidence package offline (needs no data directory)')
    .option('--public-key <pem>', "the operator's published signing key; the package must be signed by it")
    .option('--checkpoints <file>', "the operator's checkpoint file; the package's checkpoint must be in it")
    .action(async (file: string, f: Flags, cmd: Command) => {
      const v = verifyEvidencePackage(resolve(file), {
        publicKeyPath: typeof f['publicKey'] === 'string' ? resolve(f['publicKey']) : null,
        checkpointsPath: typeof f['checkpoints'] === 'string' ? resolve(f['checkpoints']) : null,
      })
      if (flagsOf(cmd).json) emit(cmd, v, '')
      if (!v.ok) throw evidenceError(v)
      if (!flagsOf(cmd).json) {
        emit(cmd, v, `evidence package verifies: ${v.phone}, ${v.facts} facts, ${v.auditEntries} audit entries in checkpoint size ${v.checkpoint?.size} (root ${v.checkpoint?.root}); signing key SHA-256 ${v.publicKeySha256} — compare it with the operator's published fingerprint`)
      }
    })

  const keys = program.command('keys').description('key management')
  keys.command('rotate').description('add a new key-encryption key and re-wrap every data key under it (resumable)').action((f: Flags, cmd: Command) =>
    withServices(cmd, 'existing', async (s, ctx) => {
      const app = s.legacy
      void ctx
      const crashAfter = Number(process.env[CRASH_ENV] ?? '')
      const onRewrap = Number.isSafeInteger(crashAfter) && crashAfter > 0 ? (n: number) => void (n >= crashAfter && process.kill(process.pid, 'SIGKILL')) : undefined
      const r = await rotateKeys(app, onRewrap ? { onRewrap } : {})
      emit(cmd, r, `${r.resumed ? 'resumed rotation: ' : ''}every data key is wrapped under ${r.kek} (${r.rewrapped} re-wrapped); retired KEKs stay in the keyring`)
    }),
  )
  keys.command('list').description('key ids, algorithms, states and use; the public signing key to publish').action((f: Flags, cmd: Command) =>
    withServices(cmd, 'existing', async (s, ctx) => {
      const app = s.legacy
      void ctx
      const inv = await keyInventory(app)
      const keks = inv['keks'] as { id: string; state: string; dataKeys: number }[]
      const signing = inv['signing'] as { id: string; publicKeySha256: string }
      emit(cmd, inv, [...keks.map((k) => `${k.id} ${k.state} (${k.dataKeys} data keys)`), `signing key ${signing.id} SHA-256 ${signing.publicKeySha256}`].join('\n'))
    }),
  )
}

/** The --out path: a new file in an existing directory outside the data directory (evidence holds plaintext PII). */
function checkOutPath(path: string, dataDir: string): string {
  const out = resolve(path)
  const rel = relative(dataDir, out)
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
    throw invalidInput('--out', 'evidence holds decrypted personal data: write it outside the data directory')
  }
  if (!existsSync(dirname(out)) || !statSync(dirname(out)).isDirectory()) throw invalidInput('--out', `directory ${dirname(out)} does not exist`)
  return out
}

function renderSummary(doc: Awaited<ReturnType<typeof collectEvidence>>): string {
  return [
    `evidence for ${doc.query.phone}${doc.query.seller ? ` (seller ${doc.query.seller})` : ''}: ${doc.consentEvents.length} consent events, ${doc.dncEntries.length} do-not-call entries, ${doc.reassignedChecks.length} reassigned checks, ${doc.decisions.length} decisions, ${doc.calls.length} calls`,
    `audit entries ${doc.audit.map((e) => e.seq).join(', ')} proven in checkpoint size ${doc.log.checkpoint.size} (root ${doc.log.checkpoint.root}); this read is entry ${doc.readEntrySeq}`,
    'use --json for the full document, or --out FILE.zip for a signed package',
  ].join('\n')
}
