import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { dialects, installation, type Installation } from '../support/cli.js'

const AT = '2026-12-01T18:00:00Z'
const PHONE = '+13052000201'

interface KeyringFile {
  blindIndex: { id: string; key: string }
  keks: Array<{ id: string; key: string }>
}

/** The issue 13 finding: changing a key's bytes under the same id went unnoticed (every DNC entry invisible, `check` allowed). */
describe.each(dialects())('the keyring is authenticated (%s)', (dialect) => {
  let dw: Installation
  let keyringPath = ''
  let original = ''

  beforeAll(async () => {
    dw = await installation(dialect)
    await dw.ok('campaign', 'add', '--id', 'mkt-auto', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'autodialed')
    await dw.ok('consent', 'grant', '--phone', PHONE, '--seller', 'Acme', '--kind', 'written', '--at', '2026-10-01')
    await dw.ok('dnc', 'add', '--phone', PHONE, '--at', '2026-11-11')
    keyringPath = join(dw.dataDir, 'keyring.json')
    original = readFileSync(keyringPath, 'utf8')
  }, 300_000)

  afterAll(async () => {
    await dw?.dispose()
  })

  const check = () => dw.run('check', '--campaign', 'mkt-auto', '--phone', PHONE, '--at', AT, '--json')

  /** Rewrites the keyring with `edit`, expects every command to refuse it, then restores it. */
  async function expectRefused(edit: (k: KeyringFile) => void, names: RegExp): Promise<void> {
    const k = JSON.parse(original) as KeyringFile
    edit(k)
    writeFileSync(keyringPath, JSON.stringify(k, null, 2), { mode: 0o600 })
    try {
      const c = await check()
      expect(c.stdout).not.toMatch(/"allow"/)
      expect(c.code, c.stderr).toBe(1)
      expect(c.stderr).toMatch(/keyring does not belong to this database/)
      expect(c.stderr).toMatch(names)
      expect(c.stderr.trim().split('\n')).toHaveLength(1)
      expect((await dw.run('audit', 'verify')).code).not.toBe(0)
      expect((await dw.run('dnc', 'add', '--phone', '+13052000202', '--at', '2026-11-12')).code).toBe(1)
    } finally {
      writeFileSync(keyringPath, original, { mode: 0o600 })
    }
  }

  it('blocks with the keyring it was initialized with', async () => {
    const c = await check()
    expect(c.code, c.stderr).toBe(0)
    expect(JSON.parse(c.stdout)).toMatchObject({ verdict: 'block' })
  }, 60_000)

  it("refuses a blind-index key whose bytes changed under the same id (fails closed, never allows)", async () => {
    await expectRefused((k) => {
      k.blindIndex.key = randomBytes(32).toString('base64')
    }, /blind-index key/)
    // restored: the original keyring works again and nothing was written meanwhile
    expect(JSON.parse((await check()).stdout)).toMatchObject({ verdict: 'block' })
    expect((await dw.run('audit', 'verify')).code).toBe(0)
  }, 120_000)

  it('refuses a key-encryption key whose bytes changed under the same id', async () => {
    await expectRefused((k) => {
      k.keks[0]!.key = randomBytes(32).toString('base64')
    }, /key-encryption key/)
    expect(JSON.parse((await check()).stdout)).toMatchObject({ verdict: 'block' })
  }, 120_000)

  it('keeps working across a key rotation (the new key is bound, the old one stays authenticated)', async () => {
    await dw.ok('keys', 'rotate')
    expect(JSON.parse((await check()).stdout)).toMatchObject({ verdict: 'block' })
    original = readFileSync(keyringPath, 'utf8')
    await expectRefused((k) => {
      k.keks.at(-1)!.key = randomBytes(32).toString('base64')
    }, /key-encryption key/)
  }, 120_000)
})
