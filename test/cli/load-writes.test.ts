import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { closeSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { installation, queryRows, rowCounts, type CliResult, type Installation } from '../support/cli.js'

/**
 * Numbers in the large import. The default (3 M, ~5 s) splits into several staging transactions;
 * on main before ADR 0015 the whole import was one transaction (about 60 ms of write lock per
 * million numbers on this machine: 1.2 s at 20 M), so the lock probe below sees SQLite's 5 s busy
 * timeout expire only from about 90 M numbers: `DIALWARD_LOAD_NUMBERS=100000000` for that run.
 */
const NUMBERS = Number(process.env['DIALWARD_LOAD_NUMBERS'] ?? 3_000_000)
/** SQLite's busy timeout (src/store/dialects/sqlite.ts): no transaction may hold the write lock this long. */
const BUSY_TIMEOUT_MS = 5_000
/** Blocks and bytes a staging transaction writes at most (src/app/services/registry.ts). */
const STAGE_BLOCKS = 64
const STAGE_BYTES = 4 * 1024 * 1024
const AT = '2026-12-01T18:00:00Z'

/** Writes a NANP registry file of `n` numbers spread over the first `areas` US area codes given. */
function registryFile(path: string, n: number, areas: readonly number[]): void {
  const fd = openSync(path, 'w')
  const per = Math.ceil(n / areas.length)
  let lines: string[] = []
  let written = 0
  for (const area of areas) {
    for (let i = 0; i < per && written < n; i++, written++) {
      // exchanges 200-799 (never N11), spread so each area holds many pages
      const k = (i * 7) % 6_000_000
      const exchange = 200 + Math.floor(k / 10_000)
      if (exchange % 100 === 11) continue
      lines.push(`${area},${exchange * 10_000 + (k % 10_000)}`)
      if (lines.length >= 100_000) {
        writeSync(fd, lines.join('\n') + '\n')
        lines = []
      }
    }
  }
  writeSync(fd, lines.join('\n') + '\n')
  closeSync(fd)
}

/** The US area codes of the NANP table (the registry reader refuses unassigned ones). */
async function usAreaCodes(): Promise<number[]> {
  const { NANP_NPAS } = await import('../../src/core/phone/nanp-table.generated.js')
  return NANP_NPAS.filter((r) => r[1] === 'US').map((r) => r[0])
}

/**
 * A process that takes SQLite's write lock every 20 ms with the product's busy timeout, the way a
 * writer's single attempt would: it reports how many attempts found the database busy past the
 * timeout (a transaction held the lock longer) and the longest wait.
 */
function lockProbe(dbPath: string, untilFile: string): Promise<{ busy: number; attempts: number; longestMs: number }> {
  const script = `
    const Db = require(${JSON.stringify(join(process.cwd(), 'node_modules', 'better-sqlite3'))})
    const fs = require('node:fs')
    const db = new Db(${JSON.stringify(dbPath)}); db.pragma('busy_timeout = ${BUSY_TIMEOUT_MS}')
    let busy = 0, attempts = 0, longest = 0
    const nap = new Int32Array(new SharedArrayBuffer(4))
    while (!fs.existsSync(${JSON.stringify(untilFile)})) {
      const t = Date.now()
      attempts++
      try { db.exec('BEGIN IMMEDIATE'); db.exec('COMMIT') } catch (e) { if (e.code !== 'SQLITE_BUSY') throw e; busy++ }
      longest = Math.max(longest, Date.now() - t)
      Atomics.wait(nap, 0, 0, 20)
    }
    console.log(JSON.stringify({ busy, attempts, longestMs: longest }))`
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as { busy: number; attempts: number; longestMs: number }) : reject(new Error(`lock probe exited ${code}: ${err}`))))
  })
}

/**
 * Issue 13 item 5 (ADR 0015): four processes at once on SQLite — a large `registry import`, a loop
 * of `dnc add` / `consent revoke`, a loop of `check`, and a probe of the write lock. No lock or
 * busy error reaches a caller, no transaction holds the write lock past the busy timeout, the
 * import was written in bounded staging transactions, every acknowledged write is stored, no
 * `check` allows a number after its acknowledged DNC entry, and `audit verify` passes.
 */
describe('writes, checks and a large import at once (sqlite)', () => {
  let dw: Installation
  let dir: string
  beforeAll(async () => {
    dw = await installation('sqlite')
    dir = join(dw.dataDir, '..')
    await dw.ok('campaign', 'add', '--id', 'c1', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'manual')
    // a small version in force first, so a check can allow (a missing national registry blocks every call)
    registryFile(join(dir, 'small.txt'), 1_000, [201, 202])
    await dw.ok('registry', 'import', '--registry', 'us-national', '--file', join(dir, 'small.txt'), '--as-of', '2026-11-20', '--full')
    registryFile(join(dir, 'large.txt'), NUMBERS, await usAreaCodes())
  }, 300_000)
  afterAll(async () => {
    await dw?.dispose()
  })

  it('no lock error, no long transaction, every acknowledged write stored, no allow after an acknowledged DNC entry', async () => {
    // the control: an unlisted number is allowed, so a block below is the DNC entry's doing
    const control = await dw.json<{ verdict: string }>('check', '--campaign', 'c1', '--phone', '+13055559999', '--at', AT)
    expect(control.verdict).toBe('allow')

    const stop = join(dir, 'stop')
    const probe = lockProbe(join(dw.dataDir, 'dialward.db'), stop)
    let importDone = false
    const importing = dw.run('registry', 'import', '--registry', 'us-national', '--file', join(dir, 'large.txt'), '--as-of', '2026-11-21', '--full').finally(() => (importDone = true))

    const failures: CliResult[] = []
    const listed: Array<{ phone: string; ackedAt: number }> = []
    const revoked: string[] = []
    const writes = (async () => {
      for (let i = 0; !importDone || i < 3; i++) {
        const phone = `+1305555${String(1000 + i).padStart(4, '0')}`
        const r = i % 2 === 0 ? await dw.run('dnc', 'add', '--phone', phone, '--at', '2026-11-12') : await dw.run('consent', 'revoke', '--phone', phone, '--at', '2026-11-12', '--via', 'sms')
        if (r.code !== 0) failures.push(r)
        else if (i % 2 === 0) listed.push({ phone, ackedAt: Date.now() })
        else revoked.push(phone)
      }
    })()
    const verdicts: Array<{ phone: string; verdict: string }> = []
    const checks = (async () => {
      for (let i = 0; !importDone || i < 3; i++) {
        const known = listed.at(-1)
        const phone = known?.phone ?? '+13055559999'
        const r = await dw.run('check', '--campaign', 'c1', '--phone', phone, '--at', AT, '--json')
        if (r.code !== 0) failures.push(r)
        else if (known) verdicts.push({ phone, verdict: (JSON.parse(r.stdout) as { verdict: string }).verdict })
      }
    })()
    const imported = await importing
    await Promise.all([writes, checks])
    closeSync(openSync(stop, 'w'))
    const lock = await probe

    expect(imported.code, imported.stderr).toBe(0)
    for (const f of failures) expect(f.stderr).not.toMatch(/locked|busy/i)
    expect(failures.map((f) => f.stderr)).toEqual([])
    // no transaction held the write lock past one busy timeout (the import's staging batches are short)
    expect(lock.attempts).toBeGreaterThan(0)
    expect(lock.busy, `longest wait for the write lock ${lock.longestMs} ms`).toBe(0)
    // no allow for a number after its acknowledged DNC entry
    expect(verdicts.length).toBeGreaterThan(0)
    for (const v of verdicts) expect(v, v.phone).toMatchObject({ verdict: 'block' })

    // the import was written in bounded staging transactions, then switched active in one
    const entries = await queryRows<{ action: string; data: string }>(dw, "SELECT action, data FROM audit_log WHERE action IN ('registry.stage', 'registry.import') ORDER BY seq")
    const version = (JSON.parse(entries.at(-1)!.data) as { version: string }).version
    const ours = entries.map((e) => ({ action: e.action, data: JSON.parse(e.data) as Record<string, unknown> })).filter((e) => e.data['version'] === version)
    const batches = ours.filter((e) => e.data['stage'] === 'blocks')
    expect(ours[0]!.data['stage']).toBe('open')
    expect(ours.at(-1)!.action).toBe('registry.import')
    expect(batches.length).toBeGreaterThan(1)
    const pages = await queryRows<{ prefix: number; bytes: number }>(dw, `SELECT prefix, length(page_ct) AS bytes FROM registry_pages WHERE version_id = '${version}'`)
    let counted = 0
    for (const b of batches) {
      const [lo, hi] = String(b.data['areas']).split('-').map(Number) as [number, number]
      const inBatch = pages.filter((p) => p.prefix >= lo && p.prefix <= hi)
      expect(inBatch.length).toBe(b.data['blocks'])
      expect(inBatch.length).toBeLessThanOrEqual(STAGE_BLOCKS)
      if (inBatch.length > 1) expect(inBatch.reduce((s, p) => s + p.bytes, 0)).toBeLessThanOrEqual(STAGE_BYTES + 64 * inBatch.length)
      counted += inBatch.length
    }
    expect(counted).toBe(pages.length)

    // every acknowledged write is stored and seen afterwards; the new version is in force
    // (every row counted; the first and last numbers listed checked again)
    for (const { phone } of [listed[0]!, listed.at(-1)!]) expect((await dw.json<{ verdict: string }>('check', '--campaign', 'c1', '--phone', phone, '--at', AT)).verdict).toBe('block')
    const counts = await rowCounts(dw)
    expect(counts['dnc_entries']).toBe(listed.length)
    expect(counts['consent_events']).toBe(revoked.length)
    const status = await dw.run('registry', 'status')
    expect(status.stdout).toContain(version)
    expect(await queryRows(dw, "SELECT id FROM registry_versions WHERE registry LIKE 'staged:%'")).toEqual([])
    const verify = await dw.run('audit', 'verify')
    expect(verify.code, verify.stderr).toBe(0)
  }, 180_000)
})
