import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import { dialects, installation, runCli, type CliResult, type Installation } from '../support/cli.js'

const PHONE = '+13052000001'
const CAMPAIGN = ['--seller', 'Acme', '--purpose', 'informational', '--dialing', 'manual'] as const
/** 13:00 in Miami: an informational manual call is allowed then. */
const AT = ['--at', '2026-12-01T18:00:00Z'] as const

/** Bad usage: exit 2, nothing on stdout, one line on stderr matching `mentions`, no stack trace. */
function expectUsage(r: CliResult, mentions: RegExp): void {
  expect(r.code, r.stderr).toBe(2)
  expect(r.stdout).toBe('')
  const lines = r.stderr.trim().split('\n')
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(mentions)
  expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/)
}

/** The `at` column of one decision, read straight from the installation's database. */
async function decisionAt(dw: Installation, id: string): Promise<number> {
  if (dw.name === 'sqlite') {
    const db = new BetterSqlite3(join(dw.dataDir, 'dialward.db'), { readonly: true })
    try {
      return (db.prepare('SELECT at FROM decisions WHERE id = ?').get(id) as { at: number }).at
    } finally {
      db.close()
    }
  }
  const client = new pg.Client({ connectionString: dw.env['DIALWARD_DATABASE_URL'] })
  await client.connect()
  try {
    return Number((await client.query<{ at: string }>('SELECT at FROM decisions WHERE id = $1', [id])).rows[0]!.at)
  } finally {
    await client.end()
  }
}

/** Edge habits users expect (issue 8 item 8), on both databases. */
describe.each(dialects())('edge habits (%s)', (dialect) => {
  let dw: Installation
  beforeAll(async () => {
    dw = await installation(dialect)
    await dw.ok('campaign', 'add', '--id', 'c0', ...CAMPAIGN)
  })
  afterAll(async () => {
    await dw?.dispose()
  })

  describe('--data and --json are program options: before or after the command name', () => {
    it('every placement reaches the same data directory, and the flag wins over DIALWARD_DATA', async () => {
      const elsewhere = join(dw.dataDir, '..', 'not-this-one')
      const run = (...args: string[]): Promise<CliResult> => runCli(args, { ...dw.env, DIALWARD_DATA: elsewhere })
      const ok = async (...args: string[]): Promise<string> => {
        const r = await run(...args)
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0)
        return r.stdout
      }
      await ok('--data', dw.dataDir, 'campaign', 'add', '--id', 'before', ...CAMPAIGN)
      await ok('campaign', 'add', '--id', 'after', ...CAMPAIGN, '--data', dw.dataDir)
      await ok('campaign', 'add', '--data', dw.dataDir, '--id', 'between', ...CAMPAIGN)
      for (const id of ['before', 'after', 'between']) {
        const placements = [
          ['--data', dw.dataDir, '--json', 'check', '--campaign', id, '--phone', PHONE, ...AT],
          ['--json', 'check', '--campaign', id, '--phone', PHONE, ...AT, '--data', dw.dataDir],
          ['check', '--campaign', id, '--phone', PHONE, '--data', dw.dataDir, ...AT, '--json'],
        ]
        for (const args of placements) {
          const doc = JSON.parse(await ok(...args)) as { phone: string; verdict: string }
          expect(doc).toMatchObject({ phone: PHONE, verdict: 'allow' })
        }
      }
      expect(existsSync(elsewhere)).toBe(false)
    })
  })

  describe('--at defaults to now', () => {
    /** Runs a command without --at and returns the instant it recorded, with the wall clock around the run. */
    const recorded = async (args: string[], instantOf: (doc: Record<string, unknown>) => Promise<number> | number): Promise<{ at: number; before: number; after: number }> => {
      const before = Date.now()
      const doc = await dw.json(...args)
      const after = Date.now()
      return { at: await instantOf(doc), before, after }
    }
    const fromJson = (doc: Record<string, unknown>): number => Date.parse(String(doc['at']))
    const expectNow = ({ at, before, after }: { at: number; before: number; after: number }): void => {
      expect(Number.isFinite(at)).toBe(true)
      // the output is to the second; the command ran between `before` and `after`
      expect(at).toBeGreaterThanOrEqual(before - 1_000)
      expect(at).toBeLessThanOrEqual(after + 1_000)
    }

    it('dnc add', async () => {
      expectNow(await recorded(['dnc', 'add', '--phone', '+13052000011'], fromJson))
    })

    it('consent grant', async () => {
      expectNow(await recorded(['consent', 'grant', '--phone', '+13052000012', '--seller', 'Acme', '--kind', 'written'], fromJson))
    })

    it('consent revoke', async () => {
      expectNow(await recorded(['consent', 'revoke', '--phone', '+13052000012'], fromJson))
    })

    it('calls record', async () => {
      expectNow(await recorded(['calls', 'record', '--phone', '+13052000013', '--campaign', 'c0', '--outcome', 'answered'], fromJson))
    })

    it('check (the decision logged is for now)', async () => {
      expectNow(await recorded(['check', '--campaign', 'c0', '--phone', '+13052000014'], (doc) => decisionAt(dw, String(doc['decisionId']))))
    })

    it('an explicit --at is recorded as given', async () => {
      const doc = await dw.json<{ at: string }>('dnc', 'add', '--phone', '+13052000015', '--at', '2026-11-10T09:00:00Z')
      expect(doc.at).toBe('2026-11-10T09:00:00Z')
    })
  })

  describe('--data naming something that is not a directory is bad input', () => {
    const commands = [['init'], ['campaign', 'add', '--id', 'c9', ...CAMPAIGN], ['dnc', 'add', '--phone', PHONE], ['check', '--campaign', 'c0', '--phone', PHONE]]

    it('/dev/null: exit 2 naming --data, for commands that create and commands that read (the device is only stat-ed)', async () => {
      const device = statSync('/dev/null')
      expect(device.isCharacterDevice()).toBe(true)
      for (const args of commands) expectUsage(await dw.run('--data', '/dev/null', ...args), /^dialward: --data: \/dev\/null exists and is not a directory$/)
      const after = statSync('/dev/null')
      expect(after.isCharacterDevice()).toBe(true)
      expect([after.rdev, after.mode]).toEqual([device.rdev, device.mode])
    })

    it('a regular file: exit 2 naming --data, and the file is left as it was with nothing beside it', async () => {
      const home = join(dw.dataDir, '..', 'file-home')
      mkdirSync(home)
      const file = join(home, 'plain.txt')
      writeFileSync(file, 'not a data directory\n')
      for (const args of commands) expectUsage(await dw.run(...args, '--data', file), /--data: .*plain\.txt exists and is not a directory$/)
      expect(readFileSync(file, 'utf8')).toBe('not a data directory\n')
      expect(readdirSync(home)).toEqual(['plain.txt'])
      expectUsage(await dw.run('init', '--data', join(file, 'sub')), /--data: .*plain\.txt\/sub lies under a file that is not a directory$/)
    })
  })
})
