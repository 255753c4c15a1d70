import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { dialects, installation, queryRows, runCli, type Installation } from '../support/cli.js'

const AT = '2026-12-01T18:00:00Z'
const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex')

/** Users' files as they are: BOM, CRLF, delimiters, header names; --allowed-only; worker threads; one run record per scrub. */
describe.each(dialects())('scrub of users\' files (%s)', (dialect) => {
  let dw: Installation
  let dir: string
  const scrub = async (input: string, ...extra: string[]): Promise<{ out: string; stderr: string }> => {
    const inPath = join(dir, `in-${Math.random().toString(36).slice(2)}.csv`)
    const outPath = `${inPath}.out`
    writeFileSync(inPath, input)
    const r = await dw.run('scrub', '--campaign', 'm', '--in', inPath, '--out', outPath, '--at', AT, ...extra)
    expect(r.code, r.stderr).toBe(0)
    return { out: readFileSync(outPath, 'utf8'), stderr: r.stderr }
  }

  beforeAll(async () => {
    dw = await installation(dialect)
    dir = join(dw.dataDir, '..')
    await dw.ok('campaign', 'add', '--id', 'm', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'manual')
    await dw.ok('consent', 'grant', '--phone', '+13052000002', '--seller', 'Acme', '--kind', 'written', '--at', '2026-10-01')
    await dw.ok('dnc', 'add', '--phone', '+13052000003', '--at', '2026-11-01')
    writeFileSync(join(dir, 'reg.txt'), '305,2000001\n305,2000002\n305,2000004\n')
    await dw.ok('registry', 'import', '--registry', 'us-national', '--file', join(dir, 'reg.txt'), '--as-of', '2026-11-20')
  }, 300_000)
  afterAll(async () => {
    await dw?.dispose()
  })

  it('keeps a UTF-8 BOM and CRLF line endings, and every input row byte for byte', async () => {
    const rows = ['id,Phone Number,note', '1,3052000001,"a, b"', '2,(305) 200-0009,', '3,junk,x']
    const input = `\uFEFF${rows.join('\r\n')}\r\n`
    const { out } = await scrub(input)
    expect(out.startsWith('\uFEFFid,Phone Number,note,dialward_phone,dialward_verdict,dialward_reasons,dialward_next_allowed_at\r\n')).toBe(true)
    const lines = out.slice(1).split('\r\n')
    expect(lines.pop()).toBe('')
    expect(lines).toHaveLength(4)
    for (let i = 0; i < rows.length; i++) expect(lines[i]!.startsWith(`${rows[i]!.replace('\uFEFF', '')},`)).toBe(true)
    expect(out.replace(/\r\n/g, '')).not.toMatch(/\n/)
    expect(lines[1]).toBe('1,3052000001,"a, b",+13052000001,block,NATIONAL_DNC,')
    expect(lines[3]).toBe('3,junk,x,,block,INVALID_NUMBER,')
  })

  it('recognizes the usual phone headers and detects ; and tab delimiters', async () => {
    for (const header of ['mobile', 'Cell', 'Telephone', 'phone number', 'PHONE_NUMBER']) {
      const { out } = await scrub(`name,${header}\nAnn,3052000009\n`)
      expect(out.split('\n')[1]).toBe('Ann,3052000009,+13052000009,allow,,')
    }
    // ; delimited: the reasons column holds ; and is quoted
    const semi = await scrub('name;phone\nBob;3052000003\nCy;3052000001\n')
    expect(semi.out.split('\n')).toEqual([
      'name;phone;dialward_phone;dialward_verdict;dialward_reasons;dialward_next_allowed_at',
      'Bob;3052000003;+13052000003;block;INTERNAL_DNC;',
      'Cy;3052000001;+13052000001;block;NATIONAL_DNC;',
      '',
    ])
    const tab = await scrub('name\tphone\nDi\t3052000009\n')
    expect(tab.out.split('\n')[1]).toBe('Di\t3052000009\t+13052000009\tallow\t\t')
  })

  it('--allowed-only writes only the rows that may be called', async () => {
    const { out, stderr } = await scrub('phone\n3052000001\n3052000002\n3052000009\njunk\n', '--allowed-only')
    expect(out).toBe('phone,dialward_phone,dialward_verdict,dialward_reasons,dialward_next_allowed_at\n3052000002,+13052000002,allow,,\n3052000009,+13052000009,allow,,\n')
    expect(stderr).toMatch(/4 rows: 2 allowed/)
    expect(stderr).toMatch(/2 rows written/)
  })

  it('worker threads give byte for byte the output of one thread, and each row what check says', async () => {
    // a distinct ZIP code on every row: a ZIP code adds no place, so rows are decided per area
    // code and state, not per ZIP code (one cached decision per ZIP code once took 7 GB)
    const lines = ['id,phone,state,zip']
    let x = 20261201
    const next = (): number => {
      x ^= x << 13
      x ^= x >>> 17
      x ^= x << 5
      return (x >>> 0) / 4294967296
    }
    for (let i = 0; i < 6000; i++) {
      const npa = ['305', '786', '212', '416', '808', '602'][Math.floor(next() * 6)]!
      let nxx = 200 + Math.floor(next() * 800)
      if (nxx % 100 === 11) nxx++
      const n = i % 10 === 0 ? `305200000${Math.floor(next() * 6)}` : `${npa}${nxx}${String(Math.floor(next() * 10_000)).padStart(4, '0')}`
      const phone = i % 3 === 0 ? `"(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}"` : i % 17 === 0 ? 'n/a' : n
      lines.push(`${i},${phone},${i % 7 === 0 ? 'FL' : i % 11 === 0 ? 'ca' : ''},${i % 13 === 0 ? '' : String(10_000 + i)}`)
    }
    const inPath = join(dir, 'many.csv')
    writeFileSync(inPath, `${lines.join('\n')}\n`)
    const outs: string[] = []
    for (const threads of ['0', '2']) {
      const out = join(dir, `many-${threads}.csv`)
      const r = await runCli(['scrub', '--campaign', 'm', '--in', inPath, '--out', out, '--at', AT, '--state-column', 'state', '--zip-column', 'zip', '--json'], { ...dw.env, DIALWARD_SCRUB_THREADS: threads })
      expect(r.code, r.stderr).toBe(0)
      const result = JSON.parse(r.stdout) as { rows: number; threads: number; runId: string }
      expect(result).toMatchObject({ rows: 6000, threads: Number(threads) })
      outs.push(readFileSync(out, 'utf8'))
      const [run] = await queryRows<{ summary: string }>(dw, `SELECT summary FROM decision_runs WHERE id = '${result.runId}'`)
      const table = (JSON.parse(run!.summary) as { outcomes: Array<{ key: string }> }).outcomes
      expect(table.every((o) => /^\d{3}(\|(FL|CA))?$/.test(o.key)), JSON.stringify(table.slice(0, 3))).toBe(true)
      expect(table.length).toBeLessThan(100)
    }
    expect(outs[1]).toBe(outs[0])
    const rows = parse(outs[1]!, { columns: true }) as Record<string, string>[]
    for (const row of rows.filter((_, i) => i % 500 === 0 || i < 12)) {
      const c = await dw.json<{ phone: string | null; verdict: string; reasons: Array<{ code: string }>; nextAllowedAt: string | null }>(
        'check', '--campaign', 'm', '--phone', row['phone']!, '--at', AT, ...(row['state'] ? ['--state', row['state']] : []), ...(row['zip'] ? ['--zip', row['zip']] : []),
      )
      expect(row['dialward_phone']).toBe(c.phone ?? '')
      expect(row['dialward_verdict']).toBe(c.verdict)
      expect(row['dialward_reasons']).toBe(c.reasons.map((r) => r.code).join(';'))
      expect(row['dialward_next_allowed_at']).toBe(c.nextAllowedAt ?? '')
    }
  })

  it('records one run per scrub with the SHA-256 of input and output, and decision rows only for numbers with a record', async () => {
    const inPath = join(dir, 'run.csv')
    const outPath = join(dir, 'run-out.csv')
    writeFileSync(inPath, 'phone\n3052000001\n3052000002\n3052000003\n3052000009\n7862000001\n')
    const r = await dw.json<{ runId: string; rows: number; inputSha256: string; outputSha256: string }>('scrub', '--campaign', 'm', '--in', inPath, '--out', outPath, '--at', AT)
    expect(r.inputSha256).toBe(sha256(inPath))
    expect(r.outputSha256).toBe(sha256(outPath))
    const [run] = await queryRows<{ campaign_id: string; input_sha256: string; output_sha256: string; row_count: number; summary: string; versions: string }>(dw, `SELECT * FROM decision_runs WHERE id = '${r.runId}'`)
    expect(run).toMatchObject({ campaign_id: 'm', input_sha256: r.inputSha256, output_sha256: r.outputSha256 })
    expect(Number(run!.row_count)).toBe(5)
    const summary = JSON.parse(run!.summary) as { byReason: Record<string, number>; outcomes: Array<{ key: string; codes: string; rows: number }> }
    expect(summary.byReason).toMatchObject({ NATIONAL_DNC: 1, INTERNAL_DNC: 1, REGISTRY_STALE: 1 })
    expect(summary.outcomes.some((o) => o.key === '305' && o.codes === 'NATIONAL_DNC')).toBe(true)
    const versions = JSON.parse(run!.versions) as { rulePack: string; registries: Array<{ registry: string; areaCodes: unknown }> }
    expect(versions.rulePack).toMatch(/\S/)
    expect(versions.registries).toMatchObject([{ registry: 'us-national', areaCodes: [305] }])
    // the two numbers with a record (a consent, a do-not-call request) have their own decision rows
    const decisions = await queryRows<{ verdict: string }>(dw, `SELECT verdict FROM decisions WHERE source = '${r.runId}' ORDER BY id`)
    expect(decisions.map((d) => d.verdict)).toEqual(['allow', 'block'])
    const audit = await queryRows<{ data: string }>(dw, `SELECT data FROM audit_log WHERE action = 'gate.scrub' ORDER BY seq DESC LIMIT 1`)
    expect(JSON.parse(audit[0]!.data)).toMatchObject({ run: r.runId, inputSha256: r.inputSha256, outputSha256: r.outputSha256, rows: 5 })
  })
})
