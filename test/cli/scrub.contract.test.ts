import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { dialects, installation, type Installation } from '../support/cli.js'

const AT = '2026-12-01T18:00:00Z'

describe.each(dialects())('scrub (%s)', (dialect) => {
  let dw: Installation
  let dir: string
  beforeAll(async () => {
    dw = await installation(dialect)
    dir = join(dw.dataDir, '..')
    const run = (...args: string[]): Promise<void> => dw.ok(...args)
    await run('campaign', 'add', '--id', 'm', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'autodialed')
    await run('consent', 'grant', '--phone', '+13052000001', '--seller', 'Acme', '--kind', 'written', '--at', '2026-10-01')
    await run('consent', 'grant', '--phone', '+13052000002', '--seller', 'Acme', '--kind', 'written', '--at', '2026-10-01')
    await run('consent', 'revoke', '--phone', '+13052000002', '--at', '2026-11-01')
    await run('consent', 'grant', '--phone', '+13052000003', '--seller', 'Acme', '--kind', 'ebr-purchase', '--at', '2026-10-01')
    await run('dnc', 'add', '--phone', '+13052000004', '--at', '2026-11-01')
    writeFileSync(join(dir, 'reg.txt'), '305,2000003\n305,2000005\n')
    await run('registry', 'import', '--registry', 'us-national', '--file', join(dir, 'reg.txt'), '--as-of', '2026-11-20')
  }, 300_000)
  afterAll(async () => {
    await dw?.dispose()
  })

  it('writes every row unchanged plus the verdict columns, and each verdict equals check', async () => {
    const input = [
      'id,Name,Phone_Number,note',
      '1,Ann,(305) 200-0001,"likes, commas"',
      '2,Bob,305.200.0002,"say ""hi"""',
      '3,Cy,+1 305 200 0003,',
      '4,Di,3052000004,x',
      '5,Ed,３０５２０００００５,y',
      '6,Fay,not-a-phone,z',
      '7,Gus,+13052000006,',
    ].join('\n')
    writeFileSync(join(dir, 'in.csv'), `\uFEFF${input}\n`)
    const r = await dw.run('scrub', '--campaign', 'm', '--in', join(dir, 'in.csv'), '--out', join(dir, 'out.csv'), '--at', AT)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/7 rows/)
    // the input's UTF-8 BOM is kept in the output (issue 9: users' files as they are)
    const written = readFileSync(join(dir, 'out.csv'), 'utf8')
    expect(written.startsWith('\uFEFFid,Name')).toBe(true)
    const rows = parse(written, { columns: true, bom: true }) as Record<string, string>[]
    expect(rows).toHaveLength(7)
    expect(Object.keys(rows[0]!)).toEqual(['id', 'Name', 'Phone_Number', 'note', 'dialward_phone', 'dialward_verdict', 'dialward_reasons', 'dialward_next_allowed_at'])
    expect(rows[0]!['note']).toBe('likes, commas')
    expect(rows[1]!['note']).toBe('say "hi"')
    expect(rows[5]).toMatchObject({ dialward_phone: '', dialward_verdict: 'block', dialward_reasons: 'INVALID_NUMBER' })
    for (const row of rows) {
      const c = await dw.json<{ phone: string | null; verdict: string; reasons: Array<{ code: string }>; nextAllowedAt: string | null }>(
        'check', '--campaign', 'm', '--phone', row['Phone_Number']!, '--at', AT,
      )
      expect(row['dialward_phone']).toBe(c.phone ?? '')
      expect(row['dialward_verdict']).toBe(c.verdict)
      expect(row['dialward_reasons']).toBe(c.reasons.map((x) => x.code).join(';'))
      expect(row['dialward_next_allowed_at']).toBe(c.nextAllowedAt ?? '')
    }
    expect(rows.map((x) => x['dialward_verdict'])).toEqual(['allow', 'block', 'block', 'block', 'block', 'block', 'block'])
  })

  it('--phone-column picks the column; a missing column or malformed CSV is exit 2 with no output', async () => {
    writeFileSync(join(dir, 'two.csv'), 'home,mobile\n3052000009,3052000001\n')
    const r = await dw.run('scrub', '--campaign', 'm', '--in', join(dir, 'two.csv'), '--out', join(dir, 'two-out.csv'), '--at', AT, '--phone-column', 'mobile')
    expect(r.code, r.stderr).toBe(0)
    expect(readFileSync(join(dir, 'two-out.csv'), 'utf8')).toBe('home,mobile,dialward_phone,dialward_verdict,dialward_reasons,dialward_next_allowed_at\n3052000009,3052000001,+13052000001,allow,,\n')
    // (`mobile` is itself a phone header since issue 9: a file with no phone-like header at all)
    writeFileSync(join(dir, 'nophone.csv'), 'home,work\n3052000009,3052000001\n')
    const missing = await dw.run('scrub', '--campaign', 'm', '--in', join(dir, 'nophone.csv'), '--out', join(dir, 'x.csv'), '--at', AT)
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/phone/)
    writeFileSync(join(dir, 'bad.csv'), 'phone,name\n3052000001,"unterminated\n')
    const bad = await dw.run('scrub', '--campaign', 'm', '--in', join(dir, 'bad.csv'), '--out', join(dir, 'bad-out.csv'), '--at', AT)
    expect(bad.code).toBe(2)
    expect(bad.stderr.trim().split('\n')).toHaveLength(1)
    expect(existsSync(join(dir, 'bad-out.csv'))).toBe(false)
  })
})
