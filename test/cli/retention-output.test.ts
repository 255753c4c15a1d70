import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { dialects, installation, runCli, type Installation } from '../support/cli.js'

const BIN = fileURLToPath(new URL('../../bin/dialward', import.meta.url))
const PHONE = '+13055550177'
const IP = '198.51.100.91'

/** Lines a long-running command printed: waits for the first, keeps listening `settleMs` longer, then stops it with SIGTERM. */
function runUntilFirstLine(args: readonly string[], env: Record<string, string>, settleMs: number): Promise<{ code: number | null; lines: string[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let stopping = false
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
      if (!stopping && stdout.includes('\n')) {
        stopping = true
        setTimeout(() => child.kill('SIGTERM'), settleMs)
      }
    })
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, lines: stdout.split('\n').filter((l) => l !== ''), stderr }))
  })
}

describe.each(dialects())('retention output: human by default, JSON with --json (%s)', (dialect) => {
  let dw: Installation

  beforeAll(async () => {
    dw = await installation(dialect)
    await dw.ok('consent', 'grant', '--phone', PHONE, '--seller', 'Acme', '--kind', 'written', '--at', '2026-01-01', '--ip', IP)
  }, 120_000)
  afterAll(async () => {
    await dw?.dispose()
  })

  it('export prints a summary without the decrypted data, and the document only with --json', async () => {
    const human = await dw.run('export', '--phone', PHONE)
    expect(human.code, human.stderr).toBe(0)
    const lines = human.stdout.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^exported contact record, 1 consent events, .*; receipt \S+rcpt_run_\S+\.json/)
    for (const pii of [PHONE, PHONE.slice(2), IP]) expect(human.stdout.includes(pii), pii).toBe(false)
    expect(() => JSON.parse(human.stdout)).toThrow()

    const doc = await dw.json<{ phone: string; found: boolean; consents: Array<{ ip: string }>; receipt: string }>('export', '--phone', PHONE)
    expect(doc).toMatchObject({ phone: PHONE, found: true, consents: [{ ip: IP }] })
    expect(existsSync(doc.receipt)).toBe(true)

    const nobody = await dw.run('export', '--phone', '+13055550178')
    expect(nobody.code).toBe(0)
    expect(nobody.stdout).toMatch(/^nothing is stored about this number; receipt /)
  })

  it('retention schedule prints one human line per run, or one JSON document per line with --json', async () => {
    const one = await dw.run('retention', 'schedule', '--runs', '1')
    expect(one.code, one.stderr).toBe(0)
    const lines = one.stdout.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\S+ purge run_\S+: deleted \d+ records, \d+ keys destroyed; receipt \S+\.json$/)
    const json = await dw.run('retention', 'schedule', '--runs', '1', '--json')
    expect(json.code, json.stderr).toBe(0)
    const docs = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { runId: string; dryRun: boolean; receipt: string })
    expect(docs).toHaveLength(1)
    expect(docs[0]).toMatchObject({ dryRun: false, runId: expect.stringMatching(/^run_/) })
  })

  it('retention schedule --every 30d purges once and then waits (it purged in a tight loop), and stops cleanly on SIGTERM', async () => {
    for (const extra of [[], ['--json']]) {
      const r = await runUntilFirstLine(['retention', 'schedule', '--every', '30d', ...extra], dw.env, 2_000)
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
      expect(r.lines).toHaveLength(1)
    }
  }, 120_000)
})

describe('receipts verify needs no data directory', () => {
  it('accepts --data before or after the command name and neither reads nor creates it', async () => {
    const dw = await installation('sqlite')
    try {
      await dw.ok('consent', 'grant', '--phone', PHONE, '--seller', 'Acme', '--kind', 'written', '--at', '2026-01-01')
      const { receipt } = await dw.json<{ receipt: string }>('erase', '--phone', PHONE, '--at', '2026-08-01')
      const missing = `${dw.dataDir}-not-there`
      for (const args of [
        ['receipts', 'verify', receipt, '--data', missing, '--json'],
        ['--data', missing, 'receipts', 'verify', receipt, '--json'],
        ['receipts', '--data', missing, 'verify', receipt, '--json'],
      ]) {
        const r = await runCli(args, { DIALWARD_DATA: '' })
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0)
        expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, kind: 'erasure' })
      }
      const human = await runCli(['receipts', 'verify', receipt, '--data', missing], {})
      expect(human.code).toBe(0)
      expect(human.stdout).toMatch(/^valid receipt rcpt_run_\S+ \(erasure\); signer public key sha256 [0-9a-f]{64}/)
      expect(existsSync(missing)).toBe(false)
    } finally {
      await dw.dispose()
    }
  }, 120_000)
})
