import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { dialects, installation, rowCounts, type Installation } from '../support/cli.js'

/** Bad input: one line on stderr naming the field or row, exit 2, nothing changed. */
describe.each(dialects())('bad input (%s)', (dialect) => {
  let dw: Installation
  beforeAll(async () => {
    dw = await installation(dialect)
    expect((await dw.run('campaign', 'add', '--id', 'c1', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'manual')).code).toBe(0)
  })
  afterAll(async () => {
    await dw?.dispose()
  })

  const expectUsageError = async (args: string[], mentions: RegExp): Promise<void> => {
    const r = await dw.run(...args)
    expect(r.code, r.stderr).toBe(2)
    expect(r.stdout).toBe('')
    const lines = r.stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(mentions)
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/) // no stack trace
  }

  it('rejects each kind of bad input with exit 2 and a one-line message naming the field', async () => {
    await expectUsageError(['consent', 'grant', '--phone', '+1 305 100 0000', '--seller', 'Acme', '--kind', 'written', '--at', '2026-01-01'], /--phone/)
    await expectUsageError(['consent', 'grant', '--phone', '+13052000001', '--seller', 'Acme', '--kind', 'verbal', '--at', '2026-01-01'], /--kind/)
    await expectUsageError(['consent', 'grant', '--phone', '+13052000001', '--seller', 'Acme', '--kind', 'written', '--at', '2026-13-01'], /--at/)
    // --at defaults to now (CONTRACT); a date outside 1970–2200 is bad input
    await expectUsageError(['consent', 'grant', '--phone', '+13052000001', '--seller', 'Acme', '--kind', 'written', '--at', '9999-12-31'], /--at/)
    await expectUsageError(['check', '--campaign', 'nope', '--phone', '+13052000001', '--at', '2026-12-01T18:00:00Z'], /--campaign.*nope/)
    await expectUsageError(['check', '--campaign', 'c1', '--phone', '+13052000001', '--at', 'yesterday'], /--at/)
    await expectUsageError(['check', '--campaign', 'c1', '--phone', '+13052000001', '--state', 'ZZ'], /--state/)
    await expectUsageError(['calls', 'record', '--phone', '+13052000001', '--campaign', 'c1', '--at', '2026-12-01', '--outcome', 'hung-up'], /--outcome/)
    await expectUsageError(['campaign', 'add', '--id', 'c2', '--seller', 'Acme', '--purpose', 'sales', '--dialing', 'manual'], /--purpose/)
    await expectUsageError(['registry', 'import', '--registry', 'us-state-ZZ', '--file', '/dev/null', '--as-of', '2026-01-01'], /--registry/)
    await expectUsageError(['reassigned', 'record', '--phone', '+13052000001', '--date', '2026-02-30', '--result', 'yes'], /--date/)
    await expectUsageError(['dnc', 'add', '--phone', '+13052000001', '--at', '1969-12-31'], /--at/)
    // issue 13: an opt-out taking effect in year 9999, a registry as of year 9999
    await expectUsageError(['dnc', 'add', '--phone', '+13052000001', '--at', '9999-12-31'], /--at.*2200/)
    // a regular (empty) file: registry import now refuses a device node as --file before it reads --as-of
    const empty = join(dw.dataDir, '..', 'empty-registry.txt')
    writeFileSync(empty, '')
    await expectUsageError(['registry', 'import', '--registry', 'us-national', '--file', empty, '--as-of', '9999-12-31'], /--as-of.*2200/)
    await expectUsageError(['check', '--campaign', 'c1', '--phone', '+13052000001', '--at', '9999-12-31'], /--at.*2200/)
    await expectUsageError(['frobnicate'], /frobnicate|unknown command/)
  })

  it('a malformed registry line refuses the whole file and keeps the previous version in force', async () => {
    const good = join(dw.dataDir, '..', 'good.txt')
    writeFileSync(good, '3052000001\n')
    expect((await dw.run('registry', 'import', '--registry', 'us-national', '--file', good, '--as-of', '2026-11-20')).code).toBe(0)
    const bad = join(dw.dataDir, '..', 'bad.txt')
    writeFileSync(bad, 'phone\n3052000002\n\n3052000003\n305,20000\n3052000004\n')
    await expectUsageError(['registry', 'import', '--registry', 'us-national', '--file', bad, '--as-of', '2026-11-25'], /line 5/)
    const r1 = await dw.json<{ reasons: Array<{ code: string }> }>('check', '--campaign', 'c1', '--phone', '+13052000001', '--at', '2026-12-01T18:00:00Z')
    expect(r1.reasons.map((r) => r.code)).toEqual(['NATIONAL_DNC'])
    const r2 = await dw.json<{ verdict: string }>('check', '--campaign', 'c1', '--phone', '+13052000002', '--at', '2026-12-01T18:00:00Z')
    expect(r2.verdict).toBe('allow')
    // --skip-invalid imports the good lines and counts the bad one
    const skipped = await dw.json<{ numbers: number; skipped: number }>('registry', 'import', '--registry', 'us-national', '--file', bad, '--as-of', '2026-11-25', '--skip-invalid')
    expect(skipped).toMatchObject({ numbers: 3, skipped: 1 })
    const r3 = await dw.json<{ reasons: Array<{ code: string }> }>('check', '--campaign', 'c1', '--phone', '+13052000002', '--at', '2026-12-01T18:00:00Z')
    expect(r3.reasons.map((r) => r.code)).toEqual(['NATIONAL_DNC'])
  })

  it('a failed command changes nothing: no table grows', async () => {
    const counts = async (): Promise<Record<string, number>> => rowCounts(dw)
    const before = await counts()
    expect(before['audit_log']).toBeGreaterThan(0)
    await expectUsageError(['consent', 'grant', '--phone', '+13052000009', '--seller', 'Acme', '--kind', 'written', '--at', 'soon'], /--at/)
    await expectUsageError(['campaign', 'add', '--id', 'c1', '--seller', 'Other', '--purpose', 'marketing', '--dialing', 'manual'], /--id/)
    await expectUsageError(['calls', 'record', '--phone', '+13052000009', '--campaign', 'nope', '--at', '2026-12-01', '--outcome', 'answered'], /--campaign/)
    await expectUsageError(['dnc', 'add', '--phone', '12', '--at', '2026-12-01'], /--phone/)
    expect(await counts()).toEqual(before)
  })

  it('check on a data directory that does not exist is an error and creates nothing', async () => {
    const r = await dw.run('check', '--campaign', 'c1', '--phone', '+13052000001', '--data', join(dw.dataDir, '..', 'nothing-here'))
    if (dialect === 'sqlite') {
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(/--data/)
    } else {
      // on PostgreSQL the database exists; the missing keyring must fail closed
      expect(r.code).not.toBe(0)
    }
  })
})
