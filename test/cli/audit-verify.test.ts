import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import { dialects, installation, type Installation } from '../support/cli.js'
import { tamper } from '../support/tamper.js'
import { parseCheckpoint } from '../../src/core/audit/checkpoint.js'
import { fromHex } from '../../src/core/audit/bytes.js'
import { verifyInclusion, verifyConsistency } from '../../src/core/audit/merkle.js'
import { sha256 } from '../../src/crypto/signing.js'


/** Copies an installation's state so each tampering starts from the intact log. */
async function snapshot(dw: Installation): Promise<() => Promise<void>> {
  if (dw.name === 'sqlite') {
    const path = join(dw.dataDir, 'dialward.db')
    const db = new BetterSqlite3(path)
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.close()
    const bytes = readFileSync(path)
    const cps = readFileSync(join(dw.dataDir, 'audit-checkpoints.jsonl'))
    return async () => {
      writeFileSync(path, bytes)
      writeFileSync(join(dw.dataDir, 'audit-checkpoints.jsonl'), cps)
    }
  }
  const client = new pg.Client({ connectionString: dw.env['DIALWARD_DATABASE_URL'] })
  await client.connect()
  const log = (await client.query('SELECT * FROM audit_log ORDER BY seq')).rows
  const cps = (await client.query('SELECT * FROM audit_checkpoints ORDER BY size')).rows
  const settings = (await client.query('SELECT * FROM settings')).rows
  await client.end()
  return async () => {
    const c = new pg.Client({ connectionString: dw.env['DIALWARD_DATABASE_URL'] })
    await c.connect()
    await c.query('BEGIN')
    await c.query('DELETE FROM audit_log')
    await c.query('DELETE FROM audit_checkpoints')
    await c.query('DELETE FROM settings')
    for (const r of log) await c.query('INSERT INTO audit_log (seq, at, actor, action, subject, data, leaf_hash) VALUES ($1,$2,$3,$4,$5,$6,$7)', [r.seq, r.at, r.actor, r.action, r.subject, r.data, r.leaf_hash])
    for (const r of cps) await c.query('INSERT INTO audit_checkpoints (size, root, time, note) VALUES ($1,$2,$3,$4)', [r.size, r.root, r.time, r.note])
    for (const r of settings) await c.query('INSERT INTO settings (key, value) VALUES ($1,$2)', [r.key, r.value])
    await c.query('COMMIT')
    await c.end()
  }
}

interface VerifyReport {
  ok: boolean
  entries: number
  code?: string
  firstBadSeq?: number | null
  checkpoints?: number
  latestCheckpoint?: { size: number; root: string } | null
  uncovered?: number
}

const PHONE = '+13055550142'

describe.each(dialects())('dialward audit verify / proof (%s)', (dialect) => {
  let dw: Installation
  let restore: () => Promise<void>
  let total = 0
  const verify = async (...extra: string[]): Promise<{ code: number; report: VerifyReport; stderr: string }> => {
    const r = await dw.run('audit', 'verify', '--json', ...extra)
    return { code: r.code, report: JSON.parse(r.stdout) as VerifyReport, stderr: r.stderr }
  }

  beforeAll(async () => {
    dw = await installation(dialect)
    const ok = (...args: string[]): Promise<void> => dw.ok(...args)
    await ok('campaign', 'add', '--id', 'c1', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'autodialed')
    await ok('consent', 'grant', '--phone', PHONE, '--seller', 'Acme', '--kind', 'written', '--at', '2026-11-01', '--disclosure', 'I agree to calls.')
    await ok('audit', 'proof', '--entry', '1') // signs a checkpoint of size 2
    await ok('dnc', 'add', '--phone', PHONE, '--at', '2026-11-02', '--seller', 'Other')
    await ok('reassigned', 'record', '--phone', PHONE, '--date', '2026-11-03', '--result', 'no')
    await ok('calls', 'record', '--phone', PHONE, '--campaign', 'c1', '--at', '2026-11-04T15:00:00Z', '--outcome', 'answered')
    await ok('check', '--campaign', 'c1', '--phone', PHONE, '--at', '2026-11-04T16:00:00Z')
    await ok('consent', 'revoke', '--phone', PHONE, '--at', '2026-11-05', '--words', 'stop')
    await ok('check', '--campaign', 'c1', '--phone', PHONE, '--at', '2026-11-06T16:00:00Z')
    const last = await dw.json<{ checkpoint: { size: number } }>('audit', 'proof', '--entry', '7')
    total = last.checkpoint.size
    restore = await snapshot(dw)
  }, 300_000)
  afterAll(async () => {
    await dw?.dispose()
  })

  it('reports an intact log: every entry recomputed, every checkpoint signed and consistent', async () => {
    const { code, report } = await verify()
    expect(code).toBe(0)
    expect(report).toMatchObject({ ok: true, entries: total, checkpointSource: 'database', checkpoints: 3, uncovered: 0 })
    const fromFile = await verify('--checkpoints', join(dw.dataDir, 'audit-checkpoints.jsonl'))
    expect(fromFile.code).toBe(0)
    expect(fromFile.report).toMatchObject({ ok: true, checkpointSource: 'file', checkpoints: 3, consistencyProofsChecked: 2 })
    const human = await dw.run('audit', 'verify')
    expect(human.stdout).toMatch(/^audit log intact: \d+ entries/)
  })

  it('prints inclusion and consistency proofs that verify against the signed checkpoint', async () => {
    const p = await dw.json<{
      entry: { seq: number; leafHash: string; action: string }
      checkpoint: { size: number; root: string; note: string }
      inclusionProof: string[]
      consistency: { fromSize: number; fromRoot: string; proof: string[] }
    }>('audit', 'proof', '--entry', '3', '--from', '2')
    expect(p.entry).toMatchObject({ seq: 3, action: 'reassigned.record' })
    const note = parseCheckpoint(p.checkpoint.note)
    expect(note.ok).toBe(true)
    const root = fromHex(p.checkpoint.root)!
    expect(note.ok && Buffer.from(note.value.checkpoint.root).equals(Buffer.from(root))).toBe(true)
    expect(verifyInclusion(sha256, 3, p.checkpoint.size, fromHex(p.entry.leafHash)!, p.inclusionProof.map((h) => fromHex(h)!), root)).toBe(true)
    expect(verifyInclusion(sha256, 2, p.checkpoint.size, fromHex(p.entry.leafHash)!, p.inclusionProof.map((h) => fromHex(h)!), root)).toBe(false)
    expect(verifyConsistency(sha256, 2, p.checkpoint.size, fromHex(p.consistency.fromRoot)!, root, p.consistency.proof.map((h) => fromHex(h)!))).toBe(true)
    const missing = await dw.run('audit', 'proof', '--entry', '999')
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/--entry: no entry 999/)
    expect((await dw.run('audit', 'proof', '--entry', 'x')).code).toBe(2)
  })

  const cases: Array<[string, (n: number) => string[], string, number | null]> = [
    ['a changed data field', () => [`UPDATE audit_log SET data = replace(data, 'Other', 'Acme') WHERE seq = 2`], 'LEAF_HASH_MISMATCH', 2],
    ['a changed actor', () => [`UPDATE audit_log SET actor = 'someone-else' WHERE seq = 4`], 'LEAF_HASH_MISMATCH', 4],
    ['a changed time', () => [`UPDATE audit_log SET at = at + 1 WHERE seq = 5`], 'LEAF_HASH_MISMATCH', 5],
    ['a changed subject', () => [`UPDATE audit_log SET subject = NULL WHERE seq = 3`], 'LEAF_HASH_MISMATCH', 3],
    ['a deleted row', () => [`DELETE FROM audit_log WHERE seq = 3`], 'SEQ_ORDER', 3],
    ['two rows reordered', () => [`UPDATE audit_log SET seq = -1 WHERE seq = 2`, `UPDATE audit_log SET seq = 2 WHERE seq = 4`, `UPDATE audit_log SET seq = 4 WHERE seq = -1`], 'LEAF_HASH_MISMATCH', 2],
    ['the tail truncated behind a checkpoint', (n) => [`DELETE FROM audit_log WHERE seq >= ${n - 2}`], 'TRUNCATED', null],
    ['an entry replaced by a copy of another', () => [`UPDATE audit_log SET leaf_hash = (SELECT leaf_hash FROM audit_log WHERE seq = 1) WHERE seq = 0`, `UPDATE audit_log SET data = (SELECT data FROM audit_log WHERE seq = 1), action = (SELECT action FROM audit_log WHERE seq = 1) WHERE seq = 0`], 'LEAF_HASH_MISMATCH', 0],
    ['an uppercased leaf hash', () => [`UPDATE audit_log SET leaf_hash = upper(leaf_hash) WHERE seq = 6`], 'LEAF_HASH_MISMATCH', 6],
  ]
  it.each(cases)('exits 3 naming the entry after %s', async (_, statements, codeName, seq) => {
    await restore()
    try {
      await tamper(dw, ...statements(total))
      const { code, report, stderr } = await verify()
      expect(code, stderr).toBe(3)
      expect(report.ok).toBe(false)
      expect(report.code).toBe(codeName)
      if (seq !== null) {
        expect(report.firstBadSeq).toBe(seq)
        expect(stderr).toContain(`entry ${seq}`)
      }
      expect(stderr.trim().split('\n')).toHaveLength(1)
    } finally {
      await restore()
    }
  })

  it('detects a rewritten database (log and checkpoints) against the off-machine checkpoint file', async () => {
    await restore()
    try {
      await tamper(dw, `DELETE FROM audit_log WHERE seq >= ${total - 3}`, `DELETE FROM audit_checkpoints WHERE size > ${total - 3}`)
      // issue 13: plain verify uses the data directory's checkpoint file too, so the database is no longer "alone"
      const plain = await verify()
      expect(plain.code).toBe(3)
      expect(plain.report.ok).toBe(false)
      const { code, report } = await verify('--checkpoints', join(dw.dataDir, 'audit-checkpoints.jsonl'))
      expect(code).toBe(3)
      expect(report.code).toBe('TRUNCATED')
    } finally {
      await restore()
    }
  })

  it('refuses a checkpoint file whose lines were edited', async () => {
    const path = join(dw.dataDir, 'audit-checkpoints.jsonl')
    const original = readFileSync(path, 'utf8')
    try {
      writeFileSync(path, original.replace(/"size":(\d+)/, (_, n: string) => `"size":${Number(n) + 1}`))
      expect((await dw.run('audit', 'verify', '--checkpoints', path)).code).toBe(3)
      expect((await dw.run('audit', 'verify', '--checkpoints', join(dw.dataDir, 'nope.jsonl'))).code).toBe(2)
    } finally {
      writeFileSync(path, original)
    }
  })
})
