import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { installation, type Installation } from '../support/cli.js'
import { testPostgresUrl } from '../support/postgres-url.js'

/** Every file under a directory, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? filesUnder(p) : [p]
  })
}

const CANARY = {
  phoneE164: '+13059871234',
  phoneDigits: '3059871234',
  ip: '198.51.100.77',
  userAgent: 'CanaryAgent/9.9 (zq-unique-ua)',
  disclosure: 'By clicking I agree to autodialed calls from Acme (canary-disclosure-zx81). Not a condition of purchase.',
  source: 'https://example.test/canary-source-page-q7',
  words: 'STOP canary-words-x42',
}

/** Writes every PII field through the CLI, then looks for the plaintext in every stored byte. */
describe('no plaintext PII at rest', () => {
  let dw: Installation
  beforeAll(async () => {
    dw = await installation('sqlite')
    const run = (...args: string[]): Promise<void> => dw.ok(...args)
    await run('campaign', 'add', '--id', 'c1', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'autodialed')
    await run('consent', 'grant', '--phone', CANARY.phoneE164, '--seller', 'Acme', '--kind', 'written', '--at', '2026-11-01', '--disclosure', CANARY.disclosure, '--source', CANARY.source, '--ip', CANARY.ip, '--user-agent', CANARY.userAgent)
    await run('consent', 'revoke', '--phone', CANARY.phoneE164, '--at', '2026-11-02', '--words', CANARY.words)
    await run('dnc', 'add', '--phone', CANARY.phoneE164, '--at', '2026-11-03', '--source', CANARY.source)
    await run('reassigned', 'record', '--phone', CANARY.phoneE164, '--date', '2026-11-04', '--result', 'no')
    await run('calls', 'record', '--phone', CANARY.phoneE164, '--campaign', 'c1', '--at', '2026-11-05', '--outcome', 'answered')
    const reg = join(dw.dataDir, '..', 'reg.txt')
    writeFileSync(reg, `305,9871234\n`)
    await run('registry', 'import', '--registry', 'us-national', '--file', reg, '--as-of', '2026-11-20')
    await run('check', '--campaign', 'c1', '--phone', CANARY.phoneE164, '--at', '2026-12-01T18:00:00Z')
  }, 300_000)
  afterAll(async () => {
    await dw?.dispose()
  })

  it('finds no canary in the database, its WAL and shared memory, or the keyring', () => {
    const files = filesUnder(dw.dataDir)
    expect(files.some((f) => f.endsWith('dialward.db'))).toBe(true)
    const needles = Object.values(CANARY).map((v) => Buffer.from(v, 'utf8'))
    // the phone as UTF-16 too (SQLite may store text either way)
    needles.push(Buffer.from(CANARY.phoneDigits, 'utf16le'))
    for (const file of files) {
      const bytes = readFileSync(file)
      for (const needle of needles) expect(bytes.includes(needle), `${needle.toString()} in ${file}`).toBe(false)
    }
  })

  it.skipIf(!testPostgresUrl())('finds no canary in PostgreSQL either', async () => {
    const pg = await installation('postgres')
    try {
      const r1 = await pg.run('consent', 'grant', '--phone', CANARY.phoneE164, '--seller', 'Acme', '--kind', 'written', '--at', '2026-11-01', '--disclosure', CANARY.disclosure, '--ip', CANARY.ip, '--user-agent', CANARY.userAgent, '--source', CANARY.source)
      expect(r1.code, r1.stderr).toBe(0)
      const dump = execFileSync('pg_dump', ['--data-only', pg.env['DIALWARD_DATABASE_URL']!], { encoding: 'utf8' })
      expect(dump).toContain('consent_events')
      for (const v of Object.values(CANARY)) {
        expect(dump.includes(v), v).toBe(false)
        // bytea columns are dumped as hex: a plaintext stored in a blob would show up this way
        expect(dump.includes(Buffer.from(v, 'utf8').toString('hex')), `${v} (hex)`).toBe(false)
      }
    } finally {
      await pg.dispose()
    }
  })
})
