import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, truncateSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { dialects, installation, onlyOn, type Installation } from '../support/cli.js'
import { tamper } from '../support/tamper.js'

const AT = '2026-12-01T18:00:00Z'
const OLD = '+13052000301' // on the DNC list before the backup
const NEW = '+13052000302' // added to the DNC list after it (acknowledged, then lost by the restore)
const SQLITE_FILES = ['dialward.db', 'dialward.db-wal', 'dialward.db-shm']


/** The issue 13 finding: rollback and truncation went unnoticed, and commands went on signing checkpoints that forked the file. */
describe.each(dialects())('rollback and truncation (%s)', (dialect) => {
  let dw: Installation
  let checkpointFile = ''
  const sqliteOnly = onlyOn(dialect, 'sqlite')
  const check = (phone: string) => dw.run('check', '--campaign', 'mkt-auto', '--phone', phone, '--at', AT, '--json')
  const fileLines = (): number => readFileSync(checkpointFile, 'utf8').trim().split('\n').length
  /** Signs a checkpoint of the whole log now (a proof of its newest entry), returns its size. */
  const signNow = async (): Promise<number> => {
    const { entries } = await dw.json<{ entries: number }>('audit', 'verify')
    const p = await dw.json<{ checkpoint: { size: number } }>('audit', 'proof', '--entry', String(entries - 1))
    expect(p.checkpoint.size).toBe(entries)
    return entries
  }

  /** The checkpoint files set aside by `init --reinitialize`, oldest first. */
  const retiredFiles = (): string[] => readdirSync(dw.dataDir).filter((f) => f.startsWith('audit-checkpoints.jsonl.retired-')).sort()

  /** Copies the database files of the data directory into `to` (made empty first). */
  const copyOut = (to: string): void => {
    rmSync(to, { recursive: true, force: true })
    mkdirSync(to)
    for (const f of SQLITE_FILES) if (existsSync(join(dw.dataDir, f))) copyFileSync(join(dw.dataDir, f), join(to, f))
  }
  /** Replaces the data directory's database files with those in `from`. */
  const putBack = (from: string): void => {
    for (const f of SQLITE_FILES) {
      rmSync(join(dw.dataDir, f), { force: true })
      if (existsSync(join(from, f))) copyFileSync(join(from, f), join(dw.dataDir, f))
    }
  }

  beforeAll(async () => {
    dw = await installation(dialect)
    checkpointFile = join(dw.dataDir, 'audit-checkpoints.jsonl')
    await dw.ok('campaign', 'add', '--id', 'mkt-auto', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'autodialed')
    for (const p of [OLD, NEW]) await dw.ok('consent', 'grant', '--phone', p, '--seller', 'Acme', '--kind', 'written', '--at', '2026-10-01')
    await dw.ok('dnc', 'add', '--phone', OLD, '--at', '2026-11-11')
    await signNow()
  }, 300_000)

  afterAll(async () => {
    await dw?.dispose()
  })

  /** Expects the store to be refused as rolled back by verify, check and a write, and no checkpoint to be signed. */
  async function expectRolledBack(): Promise<void> {
    const lines = fileLines()
    const verify = await dw.run('audit', 'verify')
    expect(verify.code, verify.stderr).toBe(3)
    expect(verify.stderr).toMatch(/checkpoint file|tampering found/)
    expect(verify.stderr.trim().split('\n')).toHaveLength(1)
    const c = await check(NEW)
    expect(c.stdout).not.toMatch(/"allow"/)
    expect(c.code, c.stderr).toBe(3)
    for (let i = 0; i < 3; i++) expect((await dw.run('dnc', 'add', '--phone', '+13052000303', '--at', '2026-11-12')).code).toBe(3)
    expect((await dw.run('audit', 'proof', '--entry', '0')).code).toBe(3)
    expect(fileLines()).toBe(lines) // nothing signed that forks the file
  }

  sqliteOnly('refuses a database restored from an older copy (an acknowledged DNC entry gone), and never signs over it', async () => {
    const backup = join(dw.dataDir, '..', 'backup')
    copyOut(backup)
    await dw.ok('dnc', 'add', '--phone', NEW, '--at', '2026-11-11')
    await signNow()
    expect(JSON.parse((await check(NEW)).stdout)).toMatchObject({ verdict: 'block' })
    const current = join(dw.dataDir, '..', 'current')
    copyOut(current)
    putBack(backup)
    await expectRolledBack()
    // the newest copy put back: everything works again
    putBack(current)
    expect((await dw.run('audit', 'verify')).code).toBe(0)
    expect(JSON.parse((await check(NEW)).stdout)).toMatchObject({ verdict: 'block' })
  }, 180_000)

  sqliteOnly('init --reinitialize accepts a database restored from an older copy: the checkpoint file is set aside, a new one begins, and commands run again', async () => {
    const LOST = '+13052000305' // on the DNC list only in the newest copy
    const older = join(dw.dataDir, '..', 'older')
    const newest = join(dw.dataDir, '..', 'newest')
    const newestFile = `${checkpointFile}.newest`
    copyOut(older)
    await dw.ok('dnc', 'add', '--phone', LOST, '--at', '2026-11-11')
    await signNow()
    copyOut(newest)
    copyFileSync(checkpointFile, newestFile)
    putBack(older)
    expect((await check(OLD)).code).toBe(3)
    const before = retiredFiles().length
    await dw.ok('init', '--reinitialize')
    expect(retiredFiles()).toHaveLength(before + 1)
    // the loss is accepted: the entry made after the copy is gone, the rest answers as before
    const lost = await check(LOST)
    expect(lost.code, lost.stderr).toBe(0)
    expect(lost.stdout).not.toMatch(/INTERNAL_DNC/)
    const old = await check(OLD)
    expect(old.code, old.stderr).toBe(0)
    expect(JSON.parse(old.stdout)).toMatchObject({ verdict: 'block' })
    expect(old.stdout).toMatch(/INTERNAL_DNC/)
    expect((await dw.run('audit', 'verify')).code).toBe(0)
    await dw.ok('dnc', 'add', '--phone', '+13052000306', '--at', '2026-11-12')
    await signNow()
    expect((await dw.run('audit', 'verify')).code).toBe(0)
    // the newest copy and its checkpoint file back, for the next tests
    putBack(newest)
    rmSync(checkpointFile)
    copyFileSync(newestFile, checkpointFile)
    expect((await dw.run('audit', 'verify')).code).toBe(0)
  }, 180_000)

  sqliteOnly('refuses a 0-byte or missing database beside the keyring and never recreates it; init --reinitialize starts over', async () => {
    const db = join(dw.dataDir, 'dialward.db')
    const saved = join(dw.dataDir, '..', 'saved')
    copyOut(saved)
    for (const f of SQLITE_FILES.slice(1)) rmSync(join(dw.dataDir, f), { force: true })
    truncateSync(db, 0)
    for (const args of [['audit', 'verify'], ['check', '--campaign', 'mkt-auto', '--phone', OLD, '--at', AT], ['dnc', 'add', '--phone', OLD, '--at', '2026-11-11']]) {
      const r = await dw.run(...args)
      expect(r.code, r.stderr).toBe(1)
      expect(r.stdout).not.toMatch(/allow/)
      expect(r.stderr).toMatch(/database is empty although .*keyring\.json exists/)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
    }
    expect(await hasTables(db)).toBe(false) // nothing was created in it
    rmSync(db)
    const missing = await dw.run('dnc', 'add', '--phone', OLD, '--at', '2026-11-11')
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/database is missing/)
    expect(existsSync(db)).toBe(false)
    // the operator starts over: the old checkpoint file is kept aside, a new log begins and verifies
    await dw.ok('init', '--reinitialize')
    expect(retiredFiles().length).toBeGreaterThan(0)
    await signNow()
    expect((await dw.run('audit', 'verify')).code).toBe(0)
    // and back to the saved database for the next test (its checkpoint file too)
    putBack(saved)
    const retired = retiredFiles().at(-1)!
    rmSync(checkpointFile)
    copyFileSync(join(dw.dataDir, retired), checkpointFile)
    expect((await dw.run('audit', 'verify')).code).toBe(0)
  }, 180_000)

  it('refuses a database whose checkpoint file was deleted', async () => {
    const kept = `${checkpointFile}.kept`
    copyFileSync(checkpointFile, kept)
    rmSync(checkpointFile)
    try {
      const r = await dw.run('check', '--campaign', 'mkt-auto', '--phone', OLD, '--at', AT)
      expect(r.code).toBe(3)
      expect(r.stderr).toMatch(/checkpoint file .* is missing/)
      expect(existsSync(checkpointFile)).toBe(false)
    } finally {
      copyFileSync(kept, checkpointFile)
    }
  }, 60_000)

  it('refuses a database whose newest audit entries were deleted together with their checkpoints', async () => {
    await dw.ok('dnc', 'add', '--phone', '+13052000304', '--at', '2026-11-11')
    const size = await signNow()
    await tamper(dw, `DELETE FROM audit_log WHERE seq >= ${size - 2}`, `DELETE FROM audit_checkpoints WHERE size > ${size - 2}`)
    await expectRolledBack()
    const missing = await dw.run('check', '--campaign', 'mkt-auto', '--phone', OLD, '--at', AT)
    expect(missing.stderr).toMatch(new RegExp(`holds ${size - 2} audit entries but the checkpoint file .* was signed at ${size}`))
  }, 180_000)
})


async function hasTables(path: string): Promise<boolean> {
  const db = new BetterSqlite3(path, { readonly: true })
  try {
    return (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n > 0
  } finally {
    db.close()
  }
}
