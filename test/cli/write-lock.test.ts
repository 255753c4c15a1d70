import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { installation, type Installation } from '../support/cli.js'

/** How long the other writer holds SQLite's write lock: past the 5 s busy timeout of one attempt. */
const HOLD_MS = 8_000

/**
 * The issue 13 finding: on SQLite a long import held the write lock past the 5 s busy timeout and a
 * concurrent `consent revoke` failed with `database is locked`. A writer now waits for the lock
 * (retrying without blocking its process) instead of failing. SQLite only: PostgreSQL writers wait
 * on row locks and never see a busy database.
 */
describe('a write under a long-held write lock (sqlite)', () => {
  let dw: Installation
  beforeAll(async () => {
    dw = await installation('sqlite')
    await dw.ok('campaign', 'add', '--id', 'c1', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'manual')
  }, 120_000)
  afterAll(async () => {
    await dw?.dispose()
  })

  it('waits for the lock and succeeds: no "database is locked" reaches the caller', async () => {
    const holder = new BetterSqlite3(join(dw.dataDir, 'dialward.db'))
    holder.exec('BEGIN IMMEDIATE')
    let released = 0
    const timer = new Promise<void>((resolve) =>
      setTimeout(() => {
        holder.exec('COMMIT')
        holder.close()
        released = Date.now()
        resolve()
      }, HOLD_MS),
    )
    const started = Date.now()
    const writes = await Promise.all([
      dw.run('consent', 'revoke', '--phone', '+13052000401', '--at', '2026-11-12', '--via', 'sms'),
      dw.run('dnc', 'add', '--phone', '+13052000402', '--at', '2026-11-12'),
      dw.run('check', '--campaign', 'c1', '--phone', '+13052000402', '--at', '2026-12-01T18:00:00Z', '--json'),
    ])
    await timer
    for (const r of writes) {
      expect(r.stderr).not.toMatch(/locked|busy/i)
      expect(r.code, r.stderr).toBe(0)
    }
    // they did wait for the lock (the writes committed after it was released)
    expect(released - started).toBeGreaterThanOrEqual(HOLD_MS - 100)
    expect(JSON.parse(writes[2]!.stdout)).toMatchObject({ verdict: 'block' })
    expect((await dw.run('audit', 'verify')).code).toBe(0)
  }, 120_000)
})
