import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { dialects, installation, rowCounts, type CliResult, type Installation } from '../support/cli.js'

const BIN = fileURLToPath(new URL('../../bin/dialward', import.meta.url))
const AT = '2026-12-01T18:00:00Z'

/** Runs the CLI with `stdin` piped in. */
function runWithStdin(dw: Installation, stdin: string, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...dw.env }, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
    child.stdin.end(stdin)
  })
}

/** Standard input and output, FIFOs, unwritable outputs, malformed CSV and registry files: exit 2, nothing stored. */
describe.each(dialects())('scrub and import edges (%s)', (dialect) => {
  let dw: Installation
  let dir: string
  const input = 'id,phone\n1,3052000001\n2,3052000005\n'
  beforeAll(async () => {
    dw = await installation(dialect)
    dir = join(dw.dataDir, '..')
    await dw.ok('campaign', 'add', '--id', 'm', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'manual')
    writeFileSync(join(dir, 'reg.txt'), '305,2000005\n')
    await dw.ok('registry', 'import', '--registry', 'us-national', '--file', join(dir, 'reg.txt'), '--as-of', '2026-11-20')
    writeFileSync(join(dir, 'in.csv'), input)
  }, 300_000)
  afterAll(async () => {
    await dw?.dispose()
  })

  const expected = 'id,phone,dialward_phone,dialward_verdict,dialward_reasons,dialward_next_allowed_at\n1,3052000001,+13052000001,allow,,\n2,3052000005,+13052000005,block,NATIONAL_DNC,\n'

  it('--in - reads standard input and --out - writes standard output (the summary goes to stderr)', async () => {
    const r = await runWithStdin(dw, input, 'scrub', '--campaign', 'm', '--in', '-', '--out', '-', '--at', AT)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toBe(expected)
    expect(r.stderr).toMatch(/2 rows/)
  })

  it('--out - with --json is refused (both would write standard output)', async () => {
    const before = await rowCounts(dw)
    const r = await dw.run('scrub', '--campaign', 'm', '--in', join(dir, 'in.csv'), '--out', '-', '--at', AT, '--json')
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/--json/)
    expect(await rowCounts(dw)).toEqual(before)
  })

  it('an --out FIFO is written in place and stays a FIFO', async () => {
    const fifo = join(dir, 'out.fifo')
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0)
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'inherit'] })
    let got = ''
    reader.stdout.on('data', (d: Buffer) => (got += d.toString()))
    const closed = new Promise<void>((resolve) => reader.on('close', () => resolve()))
    const r = await dw.run('scrub', '--campaign', 'm', '--in', join(dir, 'in.csv'), '--out', fifo, '--at', AT)
    expect(r.code, r.stderr).toBe(0)
    await closed
    expect(got).toBe(expected)
    expect(statSync(fifo).isFIFO()).toBe(true)
  })

  const expectRefused = async (args: string[], mentions: RegExp): Promise<void> => {
    const before = await rowCounts(dw)
    const r = await dw.run(...args)
    expect(r.code, r.stderr).toBe(2)
    expect(r.stdout).toBe('')
    const lines = r.stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(mentions)
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/)
    expect(await rowCounts(dw)).toEqual(before)
  }

  it('an --out in a missing directory or naming a directory is refused before anything is stored', async () => {
    await expectRefused(['scrub', '--campaign', 'm', '--in', join(dir, 'in.csv'), '--out', '/nonexistent/dir/x.csv', '--at', AT], /--out.*\/nonexistent\/dir.*does not exist/)
    const asDir = join(dir, 'a-directory')
    mkdirSync(asDir)
    await expectRefused(['scrub', '--campaign', 'm', '--in', join(dir, 'in.csv'), '--out', asDir, '--at', AT], /--out.*is a directory/)
    expect(readdirSync(asDir)).toEqual([])
  })

  it('malformed CSV is refused naming the row, with no output and nothing stored', async () => {
    const cases: Array<[string, RegExp]> = [
      ['id,phone\n1,3052000001\n2,30520"00002\n', /--in.*row 3.*quote inside an unquoted field/],
      ['id,phone\n1,3052000001\n2,"3052000002\n3,3052000003\n', /--in.*row 3.*unbalanced quotes/],
      ['id,phone\n1,"3052000001"x\n', /--in.*row 2/],
    ]
    for (const [csv, mentions] of cases) {
      writeFileSync(join(dir, 'bad.csv'), csv)
      await expectRefused(['scrub', '--campaign', 'm', '--in', join(dir, 'bad.csv'), '--out', join(dir, 'bad-out.csv'), '--at', AT], mentions)
      expect(existsSync(join(dir, 'bad-out.csv'))).toBe(false)
    }
    // nothing was left behind in the output directory either (no partial file)
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([])
  })

  it('a truncated or corrupt gzip registry file is refused and the version in force stays', async () => {
    const gz = gzipSync('3052000001\n'.repeat(5_000))
    writeFileSync(join(dir, 'cut.txt.gz'), gz.subarray(0, gz.length >> 1))
    await expectRefused(['registry', 'import', '--registry', 'us-national', '--file', join(dir, 'cut.txt.gz'), '--as-of', '2026-11-25'], /--file.*gzip/)
    const corrupt = Buffer.from(gz)
    corrupt.fill(0x55, 12, 40)
    writeFileSync(join(dir, 'corrupt.txt.gz'), corrupt)
    await expectRefused(['registry', 'import', '--registry', 'us-national', '--file', join(dir, 'corrupt.txt.gz'), '--as-of', '2026-11-25'], /--file.*gzip/)
    const r = await dw.json<{ verdict: string }>('check', '--campaign', 'm', '--phone', '+13052000001', '--at', AT)
    expect(r.verdict).toBe('allow')
  })

  it('an output that was there before stays untouched when a run fails', async () => {
    writeFileSync(join(dir, 'keep.csv'), 'old contents\n')
    writeFileSync(join(dir, 'bad.csv'), 'id,phone\n1,"oops\n')
    await expectRefused(['scrub', '--campaign', 'm', '--in', join(dir, 'bad.csv'), '--out', join(dir, 'keep.csv'), '--at', AT], /--in.*row 2/)
    expect(readFileSync(join(dir, 'keep.csv'), 'utf8')).toBe('old contents\n')
  })
})
