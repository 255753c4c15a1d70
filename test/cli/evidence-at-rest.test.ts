import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { randomBytes, randomInt } from 'node:crypto'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { dialects, installation, onlyOn, type Installation } from '../support/cli.js'
import { tempDir as testTempDir } from '../support/temp-dir.js'

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? filesUnder(p) : [p]
  })
}

/** A random 7-digit local number whose exchange is possible (2–9 first, never an N11 service code). */
function localNumber(): string {
  let nxx = randomInt(200, 1000)
  if (nxx % 100 === 11) nxx += 1
  return `${nxx}${String(randomInt(0, 10_000)).padStart(4, '0')}`
}

/** Unique canaries per run, so nothing left over from another run can mask or fake a finding. */
function canaries() {
  const tag = randomBytes(5).toString('hex')
  const line = localNumber()
  return {
    digits: `305${line}`,
    e164: `+1305${line}`,
    dncOnly: `+1404${localNumber()}`,
    ip: `198.51.${randomInt(0, 255)}.${randomInt(1, 254)}`,
    userAgent: `CanaryAgent/${tag}`,
    disclosure: `I agree to autodialed calls (disclosure-canary-${tag}).`,
    source: `https://example.test/source-canary-${tag}`,
    words: `STOP words-canary-${tag}`,
    dncSource: `dnc-source-canary-${tag}`,
  }
}

describe.each(dialects())('no plaintext PII at rest after audit, evidence and key commands (%s)', (dialect) => {
  let dw: Installation
  const C = canaries()
  const outputs: string[] = []
  let outDir: string

  beforeAll(async () => {
    dw = await installation(dialect)
    outDir = testTempDir('canary-out')
    const run = async (keepStdout: boolean, ...args: string[]): Promise<string> => {
      const r = await dw.run(...args)
      expect(r.code, r.stderr).toBe(0)
      outputs.push(r.stderr)
      if (keepStdout) outputs.push(r.stdout)
      return r.stdout
    }
    await run(true, 'campaign', 'add', '--id', 'c1', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'autodialed')
    await run(false, 'consent', 'grant', '--phone', C.e164, '--seller', 'Acme', '--kind', 'written', '--at', '2026-11-01', '--disclosure', C.disclosure, '--source', C.source, '--ip', C.ip, '--user-agent', C.userAgent)
    await run(false, 'consent', 'revoke', '--phone', C.digits, '--at', '2026-11-02', '--words', C.words)
    await run(false, 'dnc', 'add', '--phone', C.dncOnly, '--at', '2026-11-03', '--source', C.dncSource)
    await run(false, 'reassigned', 'record', '--phone', C.e164, '--date', '2026-11-04', '--result', 'no')
    await run(false, 'calls', 'record', '--phone', C.e164, '--campaign', 'c1', '--at', '2026-11-05', '--outcome', 'answered')
    const reg = join(outDir, 'registry.txt')
    writeFileSync(reg, `${C.digits.slice(0, 3)},${C.digits.slice(3)}\n`)
    await run(true, 'registry', 'import', '--registry', 'us-national', '--file', reg, '--as-of', '2026-11-20')
    await run(false, 'check', '--campaign', 'c1', '--phone', C.e164, '--at', '2026-12-01T18:00:00Z')
    await run(false, 'evidence', '--phone', C.e164, '--json')
    await run(false, 'evidence', '--phone', C.dncOnly, '--out', join(outDir, 'e.zip'))
    await run(true, 'keys', 'rotate', '--json')
    await run(true, 'keys', 'list', '--json')
    await run(true, 'audit', 'proof', '--entry', '3', '--json')
    await run(true, 'audit', 'verify', '--json')
    outputs.push((await dw.run('evidence', 'verify', join(outDir, 'e.zip'))).stderr)
  }, 180_000)
  afterAll(async () => {
    await dw?.dispose()
  })

  const needles = (): Buffer[] => [
    ...Object.values(C).map((v) => Buffer.from(v, 'utf8')),
    Buffer.from(C.digits, 'utf16le'),
    Buffer.from(C.e164.slice(1), 'utf8'),
  ]

  it('finds no canary in any file under the data directory (database, WAL, shared memory, checkpoint file, keyring)', () => {
    const files = filesUnder(dw.dataDir)
    expect(files.some((f) => f.endsWith('audit-checkpoints.jsonl'))).toBe(true)
    if (dialect === 'sqlite') expect(files.some((f) => f.endsWith('dialward.db'))).toBe(true)
    for (const file of files) {
      const bytes = readFileSync(file)
      for (const needle of needles()) expect(bytes.includes(needle), `${needle.toString()} in ${file}`).toBe(false)
    }
  })

  it('prints no canary from the audit and key commands, nor on stderr', () => {
    for (const text of outputs) for (const v of Object.values(C)) expect(text.includes(v), v).toBe(false)
  })

  onlyOn(dialect, 'postgres')('finds no canary in a dump of the PostgreSQL database', () => {
    const dump = execFileSync('pg_dump', ['--data-only', dw.env['DIALWARD_DATABASE_URL']!], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
    expect(dump).toContain('audit_log')
    for (const v of Object.values(C)) {
      expect(dump.includes(v), v).toBe(false)
      expect(dump.includes(Buffer.from(v, 'utf8').toString('hex')), `${v} (hex)`).toBe(false)
    }
  })

  it('keeps the decrypted evidence only where it was asked to go', () => {
    const zip = readFileSync(join(outDir, 'e.zip'))
    expect(zip.includes(Buffer.from(C.dncSource))).toBe(true)
  })
})
