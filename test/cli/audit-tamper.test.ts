import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import fc from 'fast-check'
import { sql } from 'kysely'
import { installation, type Installation } from '../support/cli.js'
import { openData } from '../support/open-data.js'
import type { AuditVerifyReport } from '../../src/app/services/audit.js'
import { requestContext } from '../../src/app/context.js'
import { canonicalEntryBytes } from '../../src/core/audit/audit-entry.js'
import { leafHash } from '../../src/core/audit/merkle.js'
import { toHex } from '../../src/core/audit/bytes.js'
import { sha256 } from '../../src/crypto/signing.js'

const PHONES = ['+13055550150', '+13055550151', '+14045550152']

/** Tampering with the real SQLite file of an installation, then verifying it. */
describe('audit log tampering on a real SQLite file', () => {
  let dw: Installation
  let app: Awaited<ReturnType<typeof openData>>
  let size = 0

  beforeAll(async () => {
    dw = await installation('sqlite')
    const ok = (...args: string[]): Promise<void> => dw.ok(...args)
    await ok('campaign', 'add', '--id', 'c1', '--seller', 'Acme', '--purpose', 'informational', '--dialing', 'manual')
    for (const [i, p] of PHONES.entries()) {
      await ok('consent', 'grant', '--phone', p, '--seller', 'Acme', '--kind', 'express', '--at', `2026-11-0${i + 1}`, '--ip', '192.0.2.1')
      await ok('calls', 'record', '--phone', p, '--campaign', 'c1', '--at', `2026-11-0${i + 1}T15:00:00Z`, '--outcome', 'busy')
      await ok('audit', 'proof', '--entry', String(2 * i + 1)) // a checkpoint after every pair
      await ok('check', '--campaign', 'c1', '--phone', p, '--at', '2026-11-10T15:00:00Z')
    }
    await ok('dnc', 'add', '--phone', PHONES[0]!, '--at', '2026-11-11')
    const r = await dw.json<{ checkpoint: { size: number } }>('audit', 'proof', '--entry', '10')
    size = r.checkpoint.size
    app = await openData(dw.dataDir, {}, 'existing')
  }, 300_000)
  afterAll(async () => {
    await app?.close()
    await dw?.dispose()
  })

  const ctx = requestContext('test:audit-tamper', 'auditor')
  const verify = (): Promise<AuditVerifyReport> => app.audit.verify(ctx, { checkpointFile: null })

  const rows = async (): Promise<Array<{ seq: number; at: number; actor: string; action: string; subject: string | null; data: string; leaf_hash: string }>> =>
    app.db.selectFrom('audit_log').selectAll().orderBy('seq').execute()

  /** Applies `fn` inside a transaction on the app's own connection, verifies, and rolls back. */
  async function verifyTampered(fn: () => Promise<void>): Promise<AuditVerifyReport> {
    await sql`BEGIN`.execute(app.db)
    try {
      await fn()
      return await verify()
    } finally {
      await sql`ROLLBACK`.execute(app.db)
    }
  }

  const flipByte = (text: string, at: number, mask: number): Buffer => {
    const b = Buffer.from(text, 'utf8')
    b[at % b.length]! ^= mask
    return b
  }

  it('detects 1,000 random single-byte flips, deletions, reorderings, insertions and truncations, with no false alarm', async () => {
    expect((await verify()).ok).toBe(true)
    const columns = ['actor', 'action', 'subject', 'data', 'leaf_hash', 'seq', 'at'] as const
    const tampering = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), row: fc.nat(), column: fc.constantFrom(...columns), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }), bit: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ kind: fc.constant('delete' as const), row: fc.nat() }),
      fc.record({ kind: fc.constant('swap' as const), row: fc.nat(), other: fc.nat() }),
      fc.record({ kind: fc.constant('insert' as const), row: fc.nat() }),
      fc.record({ kind: fc.constant('truncate' as const), row: fc.nat() }),
    )
    let runs = 0
    await fc.assert(
      fc.asyncProperty(tampering, async (t) => {
        const all = await rows()
        const n = all.length
        const r = all[t.row % n]!
        const report = await verifyTampered(async () => {
          switch (t.kind) {
            case 'flip': {
              if (t.column === 'seq' || t.column === 'at') {
                const flipped = Number(BigInt(r[t.column]) ^ (1n << BigInt(t.column === 'seq' ? t.bit % 20 : t.bit)))
                if (t.column === 'seq') await sql`UPDATE audit_log SET seq = ${flipped + 1_000_000} WHERE seq = ${r.seq}`.execute(app.db)
                else await sql`UPDATE audit_log SET at = ${flipped} WHERE seq = ${r.seq}`.execute(app.db)
                return
              }
              const value = r[t.column] ?? r.data
              const column = r[t.column] === null ? 'data' : t.column
              await sql`UPDATE audit_log SET ${sql.ref(column)} = CAST(${flipByte(value, t.at, t.mask)} AS TEXT) WHERE seq = ${r.seq}`.execute(app.db)
              return
            }
            case 'delete':
              await sql`DELETE FROM audit_log WHERE seq = ${r.seq}`.execute(app.db)
              return
            case 'swap': {
              const o = all[t.other % n]!.seq === r.seq ? all[(t.other + 1) % n]! : all[t.other % n]!
              await sql`UPDATE audit_log SET seq = -1 WHERE seq = ${r.seq}`.execute(app.db)
              await sql`UPDATE audit_log SET seq = ${r.seq} WHERE seq = ${o.seq}`.execute(app.db)
              await sql`UPDATE audit_log SET seq = ${o.seq} WHERE seq = -1`.execute(app.db)
              return
            }
            case 'insert':
              // shift every later entry up by one and insert a forged one before them
              await sql`UPDATE audit_log SET seq = -seq - 1000 WHERE seq >= ${r.seq}`.execute(app.db)
              await sql`UPDATE audit_log SET seq = -seq - 1000 + 1 WHERE seq <= -1000`.execute(app.db)
              await sql`INSERT INTO audit_log (seq, at, actor, action, subject, data, leaf_hash) VALUES (${r.seq}, ${r.at}, 'forger', ${r.action}, ${r.subject}, ${r.data}, ${r.leaf_hash})`.execute(app.db)
              return
            case 'truncate':
              await sql`DELETE FROM audit_log WHERE seq >= ${Math.min(r.seq, size - 1)}`.execute(app.db)
              return
          }
        })
        runs++
        expect(report.ok, JSON.stringify(t)).toBe(false)
      }),
      { numRuns: 1_000 },
    )
    expect(runs).toBe(1_000)
    // untouched after every rollback: no false alarm
    for (let i = 0; i < 20; i++) expect((await verify()).ok).toBe(true)
  }, 300_000)

  it('catches an entry rewritten together with a recomputed leaf hash, by the signed root', async () => {
    const [r] = (await rows()).filter((x) => x.action === 'calls.record')
    const data = { ...(JSON.parse(r!.data) as Record<string, string>), outcome: 'answered' }
    const hash = toHex(leafHash(sha256, canonicalEntryBytes({ seq: r!.seq, at: r!.at, actor: r!.actor, action: r!.action, subject: r!.subject, data })))
    const report = await verifyTampered(async () => {
      await sql`UPDATE audit_log SET data = ${JSON.stringify(data)}, leaf_hash = ${hash} WHERE seq = ${r!.seq}`.execute(app.db)
    })
    expect(report).toMatchObject({ ok: false, code: 'ROOT_MISMATCH' })
    expect(report.ok === false && report.firstBadSeq !== null && report.firstBadSeq <= r!.seq).toBe(true)
  })

  it('dialward audit verify exits 3 after one byte of the database file is flipped in an audit row', async () => {
    await app.close()
    const path = join(dw.dataDir, 'dialward.db')
    const db = new BetterSqlite3(path)
    db.pragma('wal_checkpoint(TRUNCATE)')
    const target = db.prepare('SELECT seq, leaf_hash, data FROM audit_log WHERE seq = 4').get() as { seq: number; leaf_hash: string; data: string }
    db.close()
    const original = readFileSync(path)
    try {
      for (const [needle, offset] of [
        [target.leaf_hash, 17],
        [target.data, 12],
      ] as const) {
        const bytes = Buffer.from(original)
        const at = bytes.indexOf(Buffer.from(needle, 'utf8'))
        expect(at).toBeGreaterThan(0)
        bytes[at + offset]! ^= 0x01
        writeFileSync(path, bytes)
        const r = await dw.run('audit', 'verify', '--json')
        expect(r.code, r.stderr).toBe(3)
        expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, firstBadSeq: 4 })
        expect(r.stderr).toMatch(/^dialward: audit log tampering found at entry 4 /)
      }
    } finally {
      writeFileSync(path, original)
      app = await openData(dw.dataDir, {}, 'existing')
    }
    expect((await dw.run('audit', 'verify')).code).toBe(0)
  })
})
