import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { dialects, installation, onlyOn, queryRows, runCli, type Installation } from '../support/cli.js'
import { openData } from '../support/open-data.js'
import { tempDir } from '../support/temp-dir.js'
import { loadKeyring } from '../../src/crypto/keyring.js'
import { FileKeyProvider } from '../../src/crypto/key-provider.js'
import { DataKeys } from '../../src/store/repos/data-keys.js'

const BIN = fileURLToPath(new URL('../../bin/dialward', import.meta.url))
/** What a backup of the data directory holds (the keyring is restored from today's file instead). */
const BACKUP_FILES = ['dialward.db', 'dialward.db-wal', 'dialward.db-shm', 'audit-checkpoints.jsonl']
const ERASED = '+13055550177'
const KEPT = '+13055550178'
const CANARY_IP = '198.51.100.231'

interface KekUse {
  id: string
  state: string
  dataKeys: number
}
interface Prune {
  pruned: string[]
  kept: string[]
  resumed: boolean
  keks: KekUse[]
}
interface Receipt {
  id: string
  kind: string
  erase: 'complete' | 'pending-key-prune' | 'none'
  pendingKeks: string[]
  valid: boolean
}

/**
 * A fresh data directory holding `backup` (the database and the checkpoint file of the same moment,
 * so the rollback guard accepts it as the whole installation of that time) beside `keyringFile`.
 */
async function restore(backup: string, keyringFile: string): Promise<Record<string, string>> {
  const dir = join(tempDir('restore'), 'data')
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  for (const f of BACKUP_FILES) if (existsSync(join(backup, f))) copyFileSync(join(backup, f), join(dir, f))
  copyFileSync(keyringFile, join(dir, 'keyring.json'))
  return { DIALWARD_DATA: dir, DIALWARD_DATABASE_URL: '' }
}

/**
 * The issue 13 finding "retired keys are never destroyed": a backup taken before an erase, with
 * today's keyring, still decrypted the erased subject after `keys rotate`, while the receipt
 * claimed cryptographic erase. `keys prune` destroys the retired KEKs; the receipt says the erase
 * of backups is pending until then.
 */
describe('a backup taken before an erase (sqlite)', () => {
  let dw: Installation
  beforeAll(async () => {
    dw = await installation('sqlite')
  })
  afterAll(async () => {
    await dw?.dispose()
  })

  it('decrypts the erased subject with the keyring after a rotation, and no longer once the retired KEKs are pruned', async () => {
    await dw.ok('campaign', 'add', '--id', 'c1', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'autodialed')
    // revoked in 2021: past every floor by 2031, so the erasure deletes it all and destroys its data key
    await dw.ok('consent', 'grant', '--phone', ERASED, '--seller', 'Acme', '--kind', 'written', '--at', '2020-01-01', '--ip', CANARY_IP)
    await dw.ok('consent', 'revoke', '--phone', ERASED, '--at', '2021-01-01')
    await dw.ok('consent', 'grant', '--phone', KEPT, '--seller', 'Acme', '--kind', 'written', '--at', '2026-01-01')
    const first = (await dw.json<{ keks: KekUse[] }>('keys', 'list')).keks[0]!.id
    const backup = tempDir('backup')
    for (const f of BACKUP_FILES) if (existsSync(join(dw.dataDir, f))) copyFileSync(join(dw.dataDir, f), join(backup, f))

    const e = await dw.json<{ keysDestroyed: number; receipt: string }>('erase', '--phone', ERASED, '--at', '2031-06-02')
    expect(e.keysDestroyed).toBeGreaterThanOrEqual(1)
    const doc = JSON.parse(readFileSync(e.receipt, 'utf8')) as { backups: { keks: string[]; statement: string }; method: { cryptographic: string } }
    expect(doc.backups.keks).toEqual([first])
    expect(doc.backups.statement).toMatch(/remain decryptable/)
    expect(doc.method.cryptographic).toMatch(/backups/)
    const v = JSON.parse((await runCli(['receipts', 'verify', e.receipt, '--json'], {})).stdout) as { valid: boolean; backupKeks: string[] }
    expect(v).toMatchObject({ valid: true, backupKeks: [first] })
    const erasure = (): Promise<Receipt> => dw.json<{ receipts: Receipt[] }>('receipts', 'list').then((l) => l.receipts.find((r) => r.kind === 'erasure')!)
    expect(await erasure()).toMatchObject({ valid: true, erase: 'pending-key-prune', pendingKeks: [first] })

    const rotated = await dw.json<{ kek: string }>('keys', 'rotate')
    expect(await erasure()).toMatchObject({ erase: 'pending-key-prune', pendingKeks: [first] })
    // before the prune, today's keyring still opens the old backup: the erased subject is readable
    const before = await restore(backup, join(dw.dataDir, 'keyring.json'))
    const leaked = await runCli(['export', '--phone', ERASED, '--json'], before)
    expect(leaked.code, leaked.stderr).toBe(0)
    expect(JSON.parse(leaked.stdout)).toMatchObject({ found: true, contact: { phone: ERASED } })
    expect(leaked.stdout).toContain(CANARY_IP)

    const p = await dw.json<Prune>('keys', 'prune')
    expect(p).toMatchObject({ pruned: [first], kept: [], resumed: false })
    expect(p.keks.map((k) => k.id)).toEqual([rotated.kek])
    expect(loadKeyring(join(dw.dataDir, 'keyring.json')).kekKey(first)).toBeUndefined()
    expect(await erasure()).toMatchObject({ valid: true, erase: 'complete', pendingKeks: [] })

    // after it, the same backup with today's keyring fails closed for the erased subject: nothing revealed
    const after = await restore(backup, join(dw.dataDir, 'keyring.json'))
    const exported = await runCli(['export', '--phone', ERASED, '--json'], after)
    expect(exported.code, exported.stdout).toBe(1)
    expect(exported.stderr).toMatch(/KEY_UNAVAILABLE|does not unwrap|missing or destroyed/)
    expect(exported.stdout + exported.stderr).not.toContain(CANARY_IP)
    // evidence never reveals the erased person's encrypted facts either (it may still list that facts exist)
    const evidence = await runCli(['evidence', '--phone', ERASED, '--json'], after)
    expect(evidence.stdout + evidence.stderr).not.toContain(CANARY_IP)
    // and the live installation is whole
    expect((await dw.run('audit', 'verify')).code).toBe(0)
    expect(JSON.parse((await dw.run('export', '--phone', KEPT, '--json')).stdout)).toMatchObject({ found: true, contact: { phone: KEPT } })
  }, 300_000)
})

describe.each(dialects())('dialward keys prune (%s)', (dialect) => {
  let dw: Installation
  const keyringFile = (): string => join(dw.dataDir, 'keyring.json')
  const auditSize = async (): Promise<number> => (await dw.json<{ entries: number }>('audit', 'verify')).entries

  beforeAll(async () => {
    dw = await installation(dialect)
    await dw.ok('campaign', 'add', '--id', 'c1', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'autodialed')
    await dw.ok('consent', 'grant', '--phone', KEPT, '--seller', 'Acme', '--kind', 'written', '--at', '2026-01-01', '--ip', CANARY_IP)
  }, 120_000)
  afterAll(async () => {
    await dw?.dispose()
  })

  it('never prunes the active KEK, keeps retired KEKs live data keys are wrapped under, refuses during a rotation, and a rerun is a no-op', async () => {
    const k1 = (await dw.json<{ keks: KekUse[] }>('keys', 'list')).keks[0]!.id
    expect(await dw.json<Prune>('keys', 'prune')).toMatchObject({ pruned: [], kept: [] })
    expect(loadKeyring(keyringFile()).kekKey(k1)).toBeDefined()

    const oldKeyring = loadKeyring(keyringFile())
    const k2 = (await dw.json<{ kek: string }>('keys', 'rotate')).kek
    // a process that had not seen the rotation wraps a new data key under k1 (now retired)
    const app = await openData(dw.dataDir, dw.env, 'existing')
    try {
      await new DataKeys(new FileKeyProvider(oldKeyring)).create(app.db, 'subject', app.now())
    } finally {
      await app.close()
    }
    const kept = await dw.json<Prune>('keys', 'prune')
    expect(kept).toMatchObject({ pruned: [], kept: [k1] })
    expect(kept.keks).toEqual(expect.arrayContaining([expect.objectContaining({ id: k1, state: 'retired', dataKeys: 1 }), expect.objectContaining({ id: k2, state: 'active' })]))
    expect(loadKeyring(keyringFile()).kekKey(k1)).toBeDefined()

    // a rotation in progress: refused, nothing changed
    const crashed = await new Promise<string | null>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'keys', 'rotate'], { env: { ...process.env, ...dw.env, DIALWARD_TEST_CRASH_AT: 'keys.rewrapped' }, stdio: 'ignore' })
      child.on('close', (_code, signal) => resolve(signal))
    })
    expect(crashed).toBe('SIGKILL')
    const refused = await dw.run('keys', 'prune')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/rotation .* in progress/)
    expect(refused.stderr.trim().split('\n')).toHaveLength(1)
    const k3 = (await dw.json<{ kek: string; resumed: boolean }>('keys', 'rotate')).kek

    const p = await dw.json<Prune>('keys', 'prune')
    expect([...p.pruned].sort()).toEqual([k1, k2].sort())
    expect(p.keks.map((k) => k.id)).toEqual([k3])
    const size = await auditSize()
    const again = await dw.json<Prune>('keys', 'prune')
    expect(again).toMatchObject({ pruned: [], kept: [], resumed: false })
    expect(await auditSize()).toBe(size) // nothing written by a rerun
    const actions = (await queryRows<{ action: string }>(dw, "SELECT action FROM audit_log WHERE action LIKE 'keys.prune%' ORDER BY seq")).map((r) => r.action)
    expect(actions).toEqual(['keys.prune', 'keys.prune.done']) // the runs that found nothing to prune wrote nothing

    // an open afterwards works, and the binding forgot the pruned KEKs
    expect(JSON.parse((await dw.run('export', '--phone', KEPT, '--json')).stdout)).toMatchObject({ found: true, consents: [expect.objectContaining({ ip: CANARY_IP })] })
    const bound = (await queryRows<{ value: string }>(dw, "SELECT value FROM settings WHERE key = 'keyring.fingerprints'"))[0]!.value
    expect(bound).toContain(k3)
    expect(bound).not.toContain(k1)
    expect(bound).not.toContain(k2)
    expect((await dw.run('audit', 'verify')).code).toBe(0)
  }, 300_000)

  onlyOn(dialect, 'sqlite')('finishes a prune killed after its audit entry, before the keyring was rewritten', async () => {
    const before = (await dw.json<{ keks: KekUse[] }>('keys', 'list')).keks[0]!.id
    await dw.ok('keys', 'rotate')
    const signal = await new Promise<string | null>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'keys', 'prune'], { env: { ...process.env, ...dw.env, DIALWARD_TEST_CRASH_AT: 'keys.prune-audited' }, stdio: 'ignore' })
      child.on('close', (_code, sig) => resolve(sig))
    })
    expect(signal).toBe('SIGKILL')
    expect(loadKeyring(keyringFile()).kekKey(before)).toBeDefined()
    expect(await dw.json<{ prunePending: string[] | null }>('keys', 'list')).toMatchObject({ prunePending: [before] })
    const p = await dw.json<Prune>('keys', 'prune')
    expect(p).toMatchObject({ pruned: [before], resumed: true })
    expect(loadKeyring(keyringFile()).kekKey(before)).toBeUndefined()
    expect(await dw.json<{ prunePending: string[] | null }>('keys', 'list')).toMatchObject({ prunePending: null })
    expect((await dw.run('audit', 'verify')).code).toBe(0)
  }, 120_000)
})
