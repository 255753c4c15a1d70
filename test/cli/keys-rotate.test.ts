import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { chmodSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'
import { dialects, installation, onlyOn, type Installation } from '../support/cli.js'
import { openData } from '../support/open-data.js'
import { dataKeyAad } from '../../src/store/repos/data-keys.js'
import { loadKeyring } from '../../src/crypto/keyring.js'
import { FileKeyProvider } from '../../src/crypto/key-provider.js'
import { fieldKeyId } from '../../src/crypto/envelope.js'

const BIN = fileURLToPath(new URL('../../bin/dialward', import.meta.url))
const PHONE = '+13055550190'

async function query<T>(dw: Installation, text: string): Promise<T[]> {
  if (dw.name === 'sqlite') {
    const db = new BetterSqlite3(join(dw.dataDir, 'dialward.db'), { readonly: true })
    try {
      return db.prepare(text).all() as T[]
    } finally {
      db.close()
    }
  }
  const client = new pg.Client({ connectionString: dw.env['DIALWARD_DATABASE_URL'] })
  await client.connect()
  try {
    return (await client.query(text)).rows as T[]
  } finally {
    await client.end()
  }
}

interface KeyRow {
  id: string
  kek_id: string
  alg: string
  wrapped: Buffer | null
}

/** Unwraps every live data key with the keyring file as it is now; returns id → key (hex). */
async function unwrapAll(dw: Installation): Promise<Map<string, string>> {
  const provider = new FileKeyProvider(loadKeyring(join(dw.dataDir, 'keyring.json')))
  const rows = await query<KeyRow>(dw, 'SELECT id, kek_id, alg, wrapped FROM data_keys WHERE wrapped IS NOT NULL ORDER BY id')
  return new Map(rows.map((r) => [r.id, provider.unwrap({ kekId: r.kek_id, alg: r.alg, blob: Buffer.from(r.wrapped!) }, dataKeyAad(r.id)).toString('hex')]))
}

describe.each(dialects())('dialward keys (%s)', (dialect) => {
  let dw: Installation
  let original: Map<string, string>

  beforeAll(async () => {
    dw = await installation(dialect)
    const ok = (...args: string[]): Promise<void> => dw.ok(...args)
    await ok('campaign', 'add', '--id', 'c1', '--seller', 'Acme', '--purpose', 'marketing', '--dialing', 'autodialed')
    await ok('consent', 'grant', '--phone', PHONE, '--seller', 'Acme', '--kind', 'written', '--at', '2026-11-01', '--disclosure', 'I agree.', '--ip', '192.0.2.7')
    // more data keys, made in-process (each subject and registry version has its own)
    const app = await openData(dw.dataDir, dw.env, 'existing')
    try {
      for (let i = 0; i < 45; i++) await app.dataKeys.create(app.db, 'subject', app.now())
    } finally {
      await app.close()
    }
    original = await unwrapAll(dw)
    expect(original.size).toBeGreaterThanOrEqual(47)
  }, 300_000)
  afterAll(async () => {
    await dw?.dispose()
  })

  it('re-wraps every data key under a new KEK without changing any key, keeps the old KEK retired, and audits it', async () => {
    const before = await dw.json<{ keks: { id: string; state: string }[] }>('keys', 'list')
    const r = await dw.json<{ kek: string; resumed: boolean; rewrapped: number; keks: { id: string; state: string; dataKeys: number }[] }>('keys', 'rotate')
    expect(r.resumed).toBe(false)
    expect(r.rewrapped).toBe(original.size)
    expect(r.keks).toEqual(expect.arrayContaining([expect.objectContaining({ id: before.keks[0]!.id, state: 'retired', dataKeys: 0 }), expect.objectContaining({ id: r.kek, state: 'active', dataKeys: original.size })]))
    expect(await unwrapAll(dw)).toEqual(original)
    const rows = await query<KeyRow>(dw, 'SELECT id, kek_id, alg, wrapped FROM data_keys')
    expect(rows.every((k) => k.kek_id === r.kek && k.alg === 'A256GCM')).toBe(true)
    const actions = (await query<{ action: string }>(dw, 'SELECT action FROM audit_log ORDER BY seq')).map((a) => a.action)
    expect(actions).toEqual(expect.arrayContaining(['keys.rotate.start', 'keys.rewrap', 'keys.rotate.done']))
    expect((await dw.run('audit', 'verify')).code).toBe(0)
    const ev = await dw.json<{ consentEvents: { ip: string }[] }>('evidence', '--phone', PHONE)
    expect(ev.consentEvents[0]!.ip).toBe('192.0.2.7')
  })

  it('names a key id and algorithm in every envelope and wrapped key', async () => {
    const keys = new Set((await query<KeyRow>(dw, 'SELECT id, kek_id, alg FROM data_keys')).map((k) => k.id))
    const blobs = [
      ...(await query<{ b: Buffer }>(dw, 'SELECT phone_ct AS b FROM subjects')),
      ...(await query<{ b: Buffer }>(dw, 'SELECT text_ct AS b FROM disclosures')),
      ...(await query<{ b: Buffer }>(dw, 'SELECT ip_ct AS b FROM consent_events WHERE ip_ct IS NOT NULL')),
    ]
    expect(blobs.length).toBeGreaterThanOrEqual(3)
    for (const { b } of blobs) {
      expect([b[0], b[1]]).toEqual([1, 1]) // format version 1, AES-256-GCM
      expect(keys.has(fieldKeyId(b))).toBe(true)
    }
  })

  onlyOn(dialect, 'sqlite')('survives SIGKILL at random points of a rotation: every key still unwraps, and a rerun finishes it', async () => {
    let kills = 0
    for (let round = 0; round < 4; round++) {
      const crashAfter = 1 + Math.floor(Math.random() * (original.size - 1))
      const r = await runWith({ DIALWARD_TEST_CRASH_AT: `keys.rewrapped:${crashAfter}` })
      if (r !== 0) kills++
      expect(await unwrapAll(dw)).toEqual(original)
      // a second kill while resuming
      const again = await runWith({ DIALWARD_TEST_CRASH_AT: `keys.rewrapped:${1 + Math.floor(Math.random() * 10)}` })
      if (again !== 0) kills++
      expect(await unwrapAll(dw)).toEqual(original)
      // and a kill at a random time (anywhere: keyring write, lock file, a batch)
      await killAfter(Math.floor(Math.random() * 700))
      expect(await unwrapAll(dw)).toEqual(original)
      const done = await dw.json<{ kek: string; rewrapped: number }>('keys', 'rotate')
      const rows = await query<KeyRow>(dw, 'SELECT id, kek_id FROM data_keys')
      expect(rows.every((k) => k.kek_id === done.kek)).toBe(true)
      expect(await unwrapAll(dw)).toEqual(original)
    }
    expect(kills).toBeGreaterThan(0)
    expect(existsSync(join(dw.dataDir, 'keyring.json.lock'))).toBe(false)
    expect((await dw.run('audit', 'verify')).code).toBe(0)
  }, 300_000)

  async function runWith(env: Record<string, string>): Promise<number> {
    const r = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'keys', 'rotate'], { env: { ...process.env, ...dw.env, ...env }, stdio: 'ignore' })
      child.on('close', (code, signal) => resolve(signal === 'SIGKILL' ? -9 : (code ?? -1)))
    })
    expect([0, -9]).toContain(r)
    return r
  }

  async function killAfter(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'keys', 'rotate'], { env: { ...process.env, ...dw.env }, stdio: 'ignore' })
      const timer = setTimeout(() => child.kill('SIGKILL'), ms)
      child.on('close', () => {
        clearTimeout(timer)
        resolve()
      })
    })
  }

  onlyOn(dialect, 'sqlite')('refuses a keyring file readable by others', async () => {
    const path = join(dw.dataDir, 'keyring.json')
    chmodSync(path, 0o644)
    try {
      const r = await dw.run('keys', 'list')
      expect(r.code).not.toBe(0)
      expect(r.stderr).toMatch(/permissions 0644.*chmod 600/)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
    } finally {
      chmodSync(path, 0o600)
    }
    expect((await dw.run('keys', 'list')).code).toBe(0)
  })
})
