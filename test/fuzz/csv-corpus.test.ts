import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { installation, rowCounts, type Installation } from '../support/cli.js'
import { FUZZ_RUNS } from './fuzz-runs.js'

const BIN = fileURLToPath(new URL('../../bin/dialward', import.meta.url))
const TIME = '/usr/bin/time'
/** Peak resident memory a command may use on any file of the corpus. */
const MAX_RSS_KB = 400 * 1024

/** The malformed-CSV corpus, generated here (no committed binaries): name → bytes. */
function corpus(): Record<string, Buffer> {
  const header = 'phone,first_name,state\n'
  return {
    'bad-quotes': Buffer.from(`${header}3052000002,"Ann,FL\n3052000003,Bo"b,FL\n`),
    'quote-never-closed': Buffer.from(`${header}3052000002,"Ann\n3052000003,Bob,FL\n`),
    bom: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${header}3052000002,Ann,FL\n`)]),
    'double-bom': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]), Buffer.from(`${header}3052000002,Ann,FL\n`)]),
    nul: Buffer.from(`${header}3052000002,A\u0000nn,FL\n30520\u000000003,Bob,FL\n`),
    'invalid-utf8': Buffer.concat([Buffer.from(`${header}3052000002,`), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xc0, 0x80]), Buffer.from(',FL\n')]),
    '10mb-field': Buffer.concat([Buffer.from(`${header}3052000002,"`), Buffer.alloc(10 << 20, 0x61), Buffer.from('",FL\n3052000003,Bob,FL\n')]),
    '10mb-unquoted-field': Buffer.concat([Buffer.from(`${header}3052000002,`), Buffer.alloc(10 << 20, 0x61), Buffer.from(',FL\n')]),
    '100k-columns': Buffer.from(`phone,${Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(',')}\n3052000002,${Array.from({ length: 100_000 }, () => 'x').join(',')}\n`),
    'mixed-line-endings': Buffer.from('phone,first_name,state\r\n3052000002,Ann,FL\n3052000003,Bob,FL\r3052000004,Cy,FL\r\n'),
    'ragged-rows': Buffer.from(`${header}3052000002\n3052000003,Bob,FL,extra\n`),
    empty: Buffer.alloc(0),
  }
}

interface Run {
  code: number
  stderr: string
  maxRssKb: number
}

/** Runs the CLI under /usr/bin/time -v (peak RSS of the child), or plainly when it is missing (RSS then unknown: -1). */
function run(args: string[], env: Record<string, string>): Promise<Run> {
  const timed = existsSync(TIME)
  const [cmd, argv] = timed ? [TIME, ['-v', process.execPath, BIN, ...args]] : [process.execPath, [BIN, ...args]]
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => {
      let maxRssKb = -1
      if (timed) {
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)
        maxRssKb = m ? Number(m[1]) : -1
        const at = stderr.indexOf('\tCommand being timed:')
        stderr = (at >= 0 ? stderr.slice(0, at) : stderr).replace(/^Command exited with non-zero status \d+\n/m, '')
      }
      resolve({ code: code ?? -1, stderr, maxRssKb })
    })
  })
}

describe('malformed-CSV corpus through every command that reads CSV', () => {
  let dw: Installation
  const files: Record<string, string> = {}
  beforeAll(async () => {
    dw = await installation('sqlite')
    await dw.ok('campaign', 'add', '--id', 'c', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'manual')
    for (const [name, bytes] of Object.entries(corpus())) {
      files[name] = join(dw.dataDir, '..', `${name}.csv`)
      writeFileSync(files[name], bytes)
    }
  }, 120_000)
  afterAll(async () => dw?.dispose())

  const commands: Record<string, (file: string) => string[]> = {
    scrub: (file) => ['scrub', '--campaign', 'c', '--in', file, '--out', `${file}.out.csv`],
    'contacts import': (file) => ['contacts', 'import', '--file', file, '--purpose', 'marketing'],
    // the long run (`npm run test:fuzz`) adds the third reader; CI keeps the two a lead list meets
    ...(FUZZ_RUNS > 1_000 ? { 'reassigned import': (file: string) => ['reassigned', 'import', '--file', file, '--format', 'csv'] } : {}),
  }

  for (const name of Object.keys(corpus())) {
    it.each(Object.keys(commands))(`${name} → %s: a clean result, or exit 2 with one line naming the row or file; bounded memory; nothing stored on refusal`, async (command) => {
      const before = await rowCounts(dw)
      const r = await run(commands[command]!(files[name]!), dw.env)
      const label = `${command} on ${name}: exit ${r.code}, stderr ${r.stderr.slice(0, 400)}`
      expect([0, 2], label).toContain(r.code)
      expect(r.stderr, label).not.toMatch(/\n\s+at /)
      if (r.code === 2) {
        expect(r.stderr.trim().split('\n'), label).toHaveLength(1)
        expect(r.stderr, label).toMatch(/^dialward: (--in|--file|file|row \d|line \d|.*row \d)/)
        expect(await rowCounts(dw), label).toEqual(before)
      }
      if (r.maxRssKb >= 0) expect(r.maxRssKb, label).toBeLessThan(MAX_RSS_KB)
    }, 120_000)
  }
})
