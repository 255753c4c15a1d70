import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chmodSync, copyFileSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { installation, type Installation } from '../support/cli.js'

/** When keys are missing or wrong, the gate never answers `allow`: it stops with an error. */
describe('the gate fails closed', () => {
  let dw: Installation
  let other: Installation
  const checkArgs = ['check', '--campaign', 'm', '--phone', '+13052000001', '--at', '2026-12-01T18:00:00Z', '--json']
  beforeAll(async () => {
    dw = await installation('sqlite')
    other = await installation('sqlite')
    for (const d of [dw, other]) {
      expect((await d.run('campaign', 'add', '--id', 'm', '--seller', 'Acme', '--purpose', 'informational', '--dialing', 'manual')).code).toBe(0)
    }
    const ok = await dw.run(...checkArgs)
    expect(JSON.parse(ok.stdout).verdict).toBe('allow')
  })
  afterAll(async () => {
    await dw?.dispose()
    await other?.dispose()
  })

  const expectRefused = async (pattern: RegExp): Promise<void> => {
    const r = await dw.run(...checkArgs)
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(pattern)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
  }

  it('refuses a keyring readable by others', async () => {
    const keyring = join(dw.dataDir, 'keyring.json')
    chmodSync(keyring, 0o644)
    await expectRefused(/keyring|permission|0600/i)
    chmodSync(keyring, 0o600)
  })

  it('refuses to decide without the keyring', async () => {
    const keyring = join(dw.dataDir, 'keyring.json')
    renameSync(keyring, `${keyring}.away`)
    await expectRefused(/keyring/i)
    renameSync(`${keyring}.away`, keyring)
  })

  it("refuses another installation's keyring", async () => {
    const keyring = join(dw.dataDir, 'keyring.json')
    renameSync(keyring, `${keyring}.mine`)
    copyFileSync(join(other.dataDir, 'keyring.json'), keyring)
    chmodSync(keyring, 0o600)
    await expectRefused(/keyring does not belong/i)
    renameSync(`${keyring}.mine`, keyring)
    expect(JSON.parse((await dw.run(...checkArgs)).stdout).verdict).toBe('allow')
  })
})
