import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { spawn, execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { dialects, installation, onlyOn, rowCounts, runCli, type Installation } from '../support/cli.js'
import { readZip, writeZip } from '../../src/app/evidence/zip-archive.js'
import { verifyEvidence } from '../../src/core/evidence/verify-evidence.js'
import { ed25519Verifier, sha256 } from '../../src/crypto/signing.js'
import { createPublicKey } from 'node:crypto'
import type { EvidenceDocument } from '../../src/core/evidence/evidence-document.js'
import { tempDir as testTempDir } from '../support/temp-dir.js'

const BIN = fileURLToPath(new URL('../../bin/dialward', import.meta.url))
const PHONE = '+13055550177'
const DISCLOSURE = 'By clicking "Submit" I agree to autodialed marketing calls from Acme at this number. <Not a condition of purchase.>'
const sha = (s: string | Uint8Array): string => createHash('sha256').update(s).digest('hex')
const ed25519 = (raw: Uint8Array) => {
  try {
    return ed25519Verifier(createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' }))
  } catch {
    return null
  }
}

describe.each(dialects())('dialward evidence (%s)', (dialect) => {
  let dw: Installation
  let outDir: string
  let zipPath: string
  const noData = { DIALWARD_DATA: '/nonexistent/dialward-data', DIALWARD_DATABASE_URL: '' }
  const verifyFile = (path: string, ...extra: string[]) => runCli(['evidence', 'verify', path, '--json', ...extra], noData)

  beforeAll(async () => {
    dw = await installation(dialect)
    outDir = testTempDir('evidence')
    zipPath = join(outDir, 'evidence.zip')
    const ok = (...args: string[]): Promise<void> => dw.ok(...args)
    await ok('campaign', 'add', '--id', 'c1', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'autodialed')
    await ok('campaign', 'add', '--id', 'o1', '--seller', 'Other Co', '--purpose', 'marketing', '--dialing', 'manual')
    await ok('consent', 'grant', '--phone', PHONE, '--seller', 'Acme', '--kind', 'written', '--at', '2026-11-01T12:00:00Z', '--disclosure', DISCLOSURE, '--source', 'https://acme.test/signup', '--ip', '203.0.113.9', '--user-agent', 'Mozilla/5.0 (test)')
    await ok('consent', 'grant', '--phone', PHONE, '--seller', 'Other Co', '--kind', 'written', '--at', '2026-11-01T12:00:00Z')
    await ok('reassigned', 'record', '--phone', PHONE, '--date', '2026-11-02', '--result', 'no')
    await ok('calls', 'record', '--phone', PHONE, '--campaign', 'c1', '--at', '2026-11-03T15:00:00Z', '--outcome', 'answered', '--duration', '42')
    await ok('check', '--campaign', 'c1', '--phone', PHONE, '--at', '2026-11-03T14:59:00Z')
    await ok('consent', 'revoke', '--phone', PHONE, '--at', '2026-11-20', '--via', 'sms', '--words', 'STOP calling me')
    await ok('dnc', 'add', '--phone', PHONE, '--at', '2026-11-20', '--seller', 'Acme', '--source', 'agent note')
    await ok('check', '--campaign', 'c1', '--phone', PHONE, '--at', '2026-11-21T15:00:00Z')
  }, 300_000)
  afterAll(async () => {
    await dw?.dispose()
  })

  it('prints every fact with decrypted evidence, disclosure text and hash, decisions, calls, each tied to a proven audit entry', async () => {
    const doc = await dw.json<EvidenceDocument>('evidence', '--phone', '(305) 555-0177', '--seller', 'Acme')
    expect(doc.format).toBe('dialward.evidence')
    expect(doc.query).toEqual({ phone: PHONE, seller: 'Acme', at: null })
    expect(doc.consentEvents.map((c) => [c.type, c.seller])).toEqual([['grant', 'Acme'], ['revoke', null]])
    const grant = doc.consentEvents[0]!
    expect(grant).toMatchObject({ kind: 'written', source: 'https://acme.test/signup', ip: '203.0.113.9', userAgent: 'Mozilla/5.0 (test)', erased: false })
    expect(grant.disclosure).toEqual({ sha256: sha(DISCLOSURE), text: DISCLOSURE })
    expect(doc.consentEvents[1]).toMatchObject({ via: 'sms', words: 'STOP calling me' })
    expect(doc.dncEntries).toMatchObject([{ seller: 'Acme', source: 'agent note' }])
    expect(doc.reassignedChecks).toMatchObject([{ date: '2026-11-02', result: 'no' }])
    expect(doc.calls).toMatchObject([{ campaign: 'c1', outcome: 'answered', durationSeconds: 42 }])
    expect(doc.decisions.map((d) => d.verdict)).toEqual(['allow', 'block'])
    expect(doc.decisions[1]!.reasons.map((r) => r.code)).toContain('INTERNAL_DNC')
    expect(doc.decisions[0]!.versions).toBeTypeOf('object')
    const seqs = new Set(doc.audit.map((e) => e.seq))
    for (const f of [...doc.consentEvents, ...doc.dncEntries, ...doc.reassignedChecks, ...doc.decisions, ...doc.calls]) expect(seqs.has(f.auditSeq!)).toBe(true)
    expect(doc.audit.find((e) => e.seq === doc.readEntrySeq)).toMatchObject({ action: 'pii.read', subject: doc.subject })
    expect(doc.log.checkpoint.size).toBe(doc.readEntrySeq + 1)
    // no other seller's consent
    expect(JSON.stringify(doc)).not.toContain('Other Co')
    const upTo = await dw.json<EvidenceDocument>('evidence', '--phone', PHONE, '--at', '2026-11-10')
    expect(upTo.consentEvents.map((c) => c.type)).toEqual(['grant', 'grant'])
    expect(upTo.dncEntries).toEqual([])
  })

  it('writes a signed package that verifies offline, without a data directory, and audits the read', async () => {
    const before = await dw.json<{ entries: number }>('audit', 'verify')
    const r = await dw.json<{ out: string; files: string[]; readEntrySeq: number }>('evidence', '--phone', PHONE, '--out', zipPath)
    expect(r.out).toBe(zipPath)
    expect(r.files).toEqual(expect.arrayContaining(['evidence.json', 'evidence.html', 'checkpoint.txt', 'public-key.pem', 'VERIFY.txt', 'manifest.json', 'manifest.sig', `disclosures/${sha(DISCLOSURE)}.txt`]))
    expect(r.readEntrySeq).toBe(before.entries)
    const v = await verifyFile(zipPath)
    expect(v.code, v.stderr).toBe(0)
    expect(JSON.parse(v.stdout)).toMatchObject({ ok: true, problems: [], phone: PHONE, facts: 8 })
    const html = readZip(readFileSync(zipPath)).find((e) => e.path === 'evidence.html')!
    expect(Buffer.from(html.bytes).toString()).toContain('&lt;Not a condition of purchase.&gt;')
    // pinned to the operator's published key and checkpoint file
    const keys = await dw.json<{ signing: { publicKeyPem: string } }>('keys', 'list')
    writeFileSync(join(outDir, 'key.pem'), keys.signing.publicKeyPem)
    const pinned = await verifyFile(zipPath, '--public-key', join(outDir, 'key.pem'), '--checkpoints', join(dw.dataDir, 'audit-checkpoints.jsonl'))
    expect(pinned.code, pinned.stdout).toBe(0)
    const human = await runCli(['evidence', 'verify', zipPath], noData)
    expect(human.stdout).toMatch(/^evidence package verifies: \+13055550177/)
    // an unzipped copy verifies too
    const dir = join(outDir, 'unzipped')
    for (const e of readZip(readFileSync(zipPath))) {
      mkdirSync(dirname(join(dir, e.path)), { recursive: true })
      writeFileSync(join(dir, e.path), e.bytes)
    }
    expect((await verifyFile(dir)).code).toBe(0)
    expect((await dw.json<{ ok: boolean }>('audit', 'verify')).ok).toBe(true)
  })

  it('fails verification (exit 3) after an edit to any file of the package, the HTML included', async () => {
    const entries = readZip(readFileSync(zipPath))
    for (const [i, e] of entries.entries()) {
      const bytes = Buffer.from(e.bytes)
      bytes[Math.floor(bytes.length / 2)]! ^= 0x20
      const edited = entries.map((x, j) => (j === i ? { path: x.path, bytes } : x))
      const path = join(outDir, `edited-${i}.zip`)
      writeFileSync(path, writeZip(edited))
      const v = await verifyFile(path)
      expect(v.code, `${e.path}: ${v.stdout}`).toBe(3)
      expect(JSON.parse(v.stdout).ok).toBe(false)
      expect(v.stderr).toMatch(/^dialward: evidence package does not verify: /)
    }
    const extra = join(outDir, 'extra.zip')
    writeFileSync(extra, writeZip([...entries, { path: 'note.txt', bytes: Buffer.from('hi') }]))
    expect((await verifyFile(extra)).code).toBe(3)
    const missing = join(outDir, 'missing.zip')
    writeFileSync(missing, writeZip(entries.filter((e) => e.path !== 'evidence.html')))
    expect((await verifyFile(missing)).code).toBe(3)
    const raw = readFileSync(zipPath)
    raw[raw.length - 30]! ^= 0x01 // inside the central directory
    writeFileSync(join(outDir, 'container.zip'), raw)
    expect((await verifyFile(join(outDir, 'container.zip'))).code).toBe(3)
    expect((await verifyFile(join(outDir, 'nope.zip'))).code).toBe(2)
  })

  it('refuses to write evidence inside the data directory, and needs a phone', async () => {
    const r = await dw.run('evidence', '--phone', PHONE, '--out', join(dw.dataDir, 'e.zip'))
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--out: .*outside the data directory/)
    expect((await dw.run('evidence', '--seller', 'Acme')).code).toBe(2)
  })

  it('refuses an --out that is a directory or lies in a missing directory (exit 2, OUTPUT_UNWRITABLE) before anything is read or audited', async () => {
    const before = (await rowCounts(dw)).audit_log
    for (const out of [outDir, join(outDir, 'missing', 'e.zip'), join(outDir, 'evidence.zip', 'below.zip')]) {
      const r = await dw.run('evidence', '--phone', PHONE, '--out', out)
      expect(r.code, `${out}: ${r.stderr}`).toBe(2)
      expect(r.stderr).toMatch(/^dialward: --out: /)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(r.stdout).toBe('')
    }
    expect(statSync(outDir).isDirectory()).toBe(true)
    expect((await rowCounts(dw)).audit_log).toBe(before)
  })

  it('writes the package into an existing FIFO in place (never replacing it by a rename), and to standard output with --out -', async () => {
    const fifo = join(outDir, 'package.fifo')
    execFileSync('mkfifo', [fifo])
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'inherit'] })
    const chunks: Buffer[] = []
    reader.stdout.on('data', (d: Buffer) => chunks.push(d))
    const drained = new Promise<void>((resolve) => reader.on('close', () => resolve()))
    const r = await dw.json<{ out: string; bytes: number; sha256: string }>('evidence', '--phone', PHONE, '--out', fifo)
    await drained
    expect(r.out).toBe(fifo)
    expect(statSync(fifo).isFIFO()).toBe(true)
    const received = Buffer.concat(chunks)
    expect(received.length).toBe(r.bytes)
    expect(sha(received)).toBe(r.sha256)
    writeFileSync(join(outDir, 'from-fifo.zip'), received)
    expect((await verifyFile(join(outDir, 'from-fifo.zip'))).code).toBe(0)

    const stdout = await new Promise<{ code: number; bytes: Buffer; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'evidence', '--phone', PHONE, '--out', '-'], { env: { ...process.env, ...dw.env }, stdio: ['ignore', 'pipe', 'pipe'] })
      const out: Buffer[] = []
      let stderr = ''
      child.stdout.on('data', (d: Buffer) => out.push(d))
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
      child.on('error', reject)
      child.on('close', (code) => resolve({ code: code ?? -1, bytes: Buffer.concat(out), stderr }))
    })
    expect(stdout.code, stdout.stderr).toBe(0)
    expect(stdout.stderr).toMatch(/^wrote - \(\d+ bytes/)
    writeFileSync(join(outDir, 'from-stdout.zip'), stdout.bytes)
    expect((await verifyFile(join(outDir, 'from-stdout.zip'))).code).toBe(0)
    const both = await dw.run('evidence', '--phone', PHONE, '--out', '-', '--json')
    expect(both.code).toBe(2)
    expect(both.stderr).toMatch(/--out: /)
  })

  onlyOn(dialect, 'sqlite')('rejects 500 random single-byte edits of the package files (in-process), and accepts it untouched', () => {
    const files = new Map(readZip(readFileSync(zipPath)).map((e) => [e.path, e.bytes] as const))
    const deps = { sha256, ed25519 }
    expect(verifyEvidence(files, deps).ok).toBe(true)
    const paths = [...files.keys()]
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), (f, at, mask) => {
        const path = paths[f % paths.length]!
        const bytes = Buffer.from(files.get(path)!)
        bytes[at % bytes.length]! ^= mask
        const edited = new Map(files)
        edited.set(path, bytes)
        expect(verifyEvidence(edited, deps).ok).toBe(false)
      }),
      { numRuns: 500 },
    )
    expect(verifyEvidence(files, deps).ok).toBe(true)
  })
})
