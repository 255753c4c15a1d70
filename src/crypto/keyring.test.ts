import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { format, inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { KeyringError } from './keyring-error.js'
import { createKeyring, loadKeyring, rotateKek, type Keyring } from './keyring.js'
import { tempDir as testTempDir } from '../../test/support/temp-dir.js'

const tempDir = (): string => testTempDir('keyring')
const newPath = (): string => join(tempDir(), 'keyring.json')

/** Every secret in the file, as base64 and as hex, for leak checks. */
function secretsIn(path: string): string[] {
  const doc = JSON.parse(readFileSync(path, 'utf8'))
  const b64: string[] = [...doc.keks.map((k: { key: string }) => k.key), doc.blindIndex.key, doc.signing.privateKey]
  return b64.flatMap((s) => [s, Buffer.from(s, 'base64').toString('hex')])
}

function rewrite(path: string, edit: (doc: Record<string, any>) => void): void {
  const doc = JSON.parse(readFileSync(path, 'utf8'))
  edit(doc)
  writeFileSync(path, JSON.stringify(doc), { mode: 0o600 })
}

function expectKeyringError(fn: () => unknown, code: KeyringError['reason']): KeyringError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(KeyringError)
    const e = err as KeyringError
    expect(e.reason).toBe(code)
    expect(e.message).not.toContain('\n')
    return e
  }
  throw new Error(`expected a KeyringError (${code})`)
}

describe('createKeyring', () => {
  it('writes a 0600 file holding one active KEK, a blind-index key and an Ed25519 pair', () => {
    const path = newPath()
    const kr = createKeyring(path, new Date('2025-01-02T03:04:05.000Z'))
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(readdirSync(join(path, '..'))).toEqual(['keyring.json'])
    const doc = JSON.parse(readFileSync(path, 'utf8'))
    expect(doc.format).toBe('dialward.keyring')
    expect(doc.version).toBe(1)
    expect(doc.keks).toHaveLength(1)
    expect(doc.keks[0]).toMatchObject({ alg: 'A256GCM', state: 'active', createdAt: '2025-01-02T03:04:05.000Z' })
    expect(Buffer.from(doc.keks[0].key, 'base64')).toHaveLength(32)
    expect(Buffer.from(doc.blindIndex.key, 'base64')).toHaveLength(32)
    expect(doc.signing.alg).toBe('Ed25519')
    expect(kr.activeKek.id).toBe(doc.keks[0].id)
    expect(kr.blindIndexKeyId).toBe(doc.blindIndex.id)
    expect(kr.signingKeyId).toBe(doc.signing.id)
    expect(kr.kekKey(kr.activeKek.id)?.export().toString('base64')).toBe(doc.keks[0].key)
  })

  it('is 0600 even with a permissive umask', () => {
    const saved = process.umask(0)
    try {
      const path = newPath()
      createKeyring(path)
      expect(statSync(path).mode & 0o777).toBe(0o600)
    } finally {
      process.umask(saved)
    }
  })

  it('generates different keys each time', () => {
    const a = createKeyring(newPath())
    const b = createKeyring(newPath())
    expect(a.activeKek.id).not.toBe(b.activeKek.id)
    expect(a.kekKey(a.activeKek.id)?.equals(b.kekKey(b.activeKek.id)!)).toBe(false)
    expect(a.blindIndexKey().equals(b.blindIndexKey())).toBe(false)
  })

  it('refuses to overwrite an existing file and leaves it untouched', () => {
    const path = newPath()
    createKeyring(path)
    const before = readFileSync(path)
    const e = expectKeyringError(() => createKeyring(path), 'exists')
    expect(e.message).toContain(path)
    expect(readFileSync(path).equals(before)).toBe(true)
    const other = join(tempDir(), 'keyring.json')
    writeFileSync(other, 'not a keyring')
    expectKeyringError(() => createKeyring(other), 'exists')
    expect(readFileSync(other, 'utf8')).toBe('not a keyring')
  })

  it('reports a missing directory as an I/O error', () => {
    expectKeyringError(() => createKeyring(join(tempDir(), 'nope', 'keyring.json')), 'io')
  })
})

describe('loadKeyring', () => {
  it('round-trips what createKeyring wrote', () => {
    const path = newPath()
    const created = createKeyring(path)
    const loaded = loadKeyring(path)
    expect(loaded.toJSON()).toEqual(created.toJSON())
    expect(loaded.kekKey(loaded.activeKek.id)?.equals(created.kekKey(created.activeKek.id)!)).toBe(true)
    expect(loaded.blindIndexKey().equals(created.blindIndexKey())).toBe(true)
  })

  it.each(['0644', '0640', '0604', '0660', '0606', '0610', '0601', '0744'])('refuses mode %s', (octal) => {
    const mode = parseInt(octal, 8)
    const path = newPath()
    createKeyring(path)
    chmodSync(path, mode)
    const e = expectKeyringError(() => loadKeyring(path), 'permissions')
    expect(e.message).toContain('chmod 600')
    expect(e.message).toContain((mode & 0o777).toString(8))
  })

  it.each(['0600', '0400'])('accepts mode %s', (octal) => {
    const path = newPath()
    createKeyring(path)
    chmodSync(path, parseInt(octal, 8))
    expect(loadKeyring(path).keks).toHaveLength(1)
  })

  it('reports a missing file', () => {
    const path = newPath()
    const e = expectKeyringError(() => loadKeyring(path), 'not-found')
    expect(e.message).toContain(path)
  })

  it('refuses a directory', () => {
    const path = newPath()
    mkdirSync(path, { mode: 0o700 })
    expectKeyringError(() => loadKeyring(path), 'unreadable')
  })

  it('refuses garbage without echoing the file in the message', () => {
    const path = newPath()
    for (const garbage of ['', 'SECRET-CANARY-1234', '{"keks": [SECRET-CANARY', '\u0000\u00ff', 'null', '[]', '42']) {
      writeFileSync(path, garbage, { mode: 0o600 })
      const e = expectKeyringError(() => loadKeyring(path), 'malformed')
      expect(e.message).not.toContain('CANARY')
    }
  })

  it('refuses structurally invalid keyrings with a message naming the field, not the value', () => {
    const cases: [string, (doc: Record<string, any>) => void, string][] = [
      ['format', (d) => (d.format = 'other'), '"format"'],
      ['version', (d) => (d.version = 2), '"version"'],
      ['no keks', (d) => (d.keks = []), '"keks"'],
      ['two active', (d) => d.keks.push({ ...d.keks[0], id: 'kek-second' }), 'exactly one active'],
      ['no active', (d) => (d.keks[0].state = 'retired'), 'exactly one active'],
      ['bad state', (d) => (d.keks[0].state = 'destroyed'), 'keks[0].state'],
      ['bad alg', (d) => (d.keks[0].alg = 'A128GCM'), 'keks[0].alg'],
      ['short key', (d) => (d.keks[0].key = Buffer.alloc(16).toString('base64')), 'keks[0].key'],
      ['long key', (d) => (d.keks[0].key = Buffer.alloc(33).toString('base64')), 'keks[0].key'],
      ['not base64', (d) => (d.keks[0].key = '!'.repeat(44)), 'keks[0].key'],
      ['unpadded base64', (d) => (d.keks[0].key = d.keks[0].key.replace(/=+$/, '')), 'keks[0].key'],
      ['bad id', (d) => (d.keks[0].id = 'has space'), 'keks[0].id'],
      ['duplicate id', (d) => d.keks.push({ ...d.keks[0], state: 'retired' }), 'duplicate KEK id'],
      ['bad date', (d) => (d.keks[0].createdAt = 'yesterday'), 'keks[0].createdAt'],
      ['no blind index', (d) => delete d.blindIndex, 'blindIndex'],
      ['short blind key', (d) => (d.blindIndex.key = 'AAAA'), 'blindIndex.key'],
      ['no signing', (d) => delete d.signing, 'signing'],
      ['bad private key', (d) => (d.signing.privateKey = 'AAAA'), 'signing.privateKey'],
      ['bad public key', (d) => (d.signing.publicKey = 'AAAA'), 'signing.publicKey'],
    ]
    for (const [name, edit, mention] of cases) {
      const path = newPath()
      createKeyring(path)
      const secrets = secretsIn(path)
      rewrite(path, edit)
      const e = expectKeyringError(() => loadKeyring(path), 'malformed')
      expect(e.message, name).toContain(mention)
      expect(e.message, name).toContain(path)
      for (const s of secrets) expect(e.message, name).not.toContain(s)
    }
  })

  it('refuses a signing public key that does not match the private key', () => {
    const a = newPath()
    const b = newPath()
    createKeyring(a)
    createKeyring(b)
    const other = JSON.parse(readFileSync(b, 'utf8')).signing.publicKey
    rewrite(a, (d) => (d.signing.publicKey = other))
    expect(expectKeyringError(() => loadKeyring(a), 'malformed').message).toContain('does not match')
  })
})

describe('Keyring never shows key bytes', () => {
  it('in toString, JSON.stringify, util.inspect and console formatting', () => {
    const path = newPath()
    let kr: Keyring = createKeyring(path)
    kr = rotateKek(path)
    const secrets = secretsIn(path)
    expect(secrets.length).toBeGreaterThanOrEqual(6)
    const renderings = [
      String(kr),
      `${kr}`,
      JSON.stringify(kr),
      JSON.stringify({ nested: { kr } }),
      inspect(kr),
      inspect(kr, { showHidden: true, depth: Infinity, getters: true }),
      inspect({ kr }, { showHidden: true, depth: Infinity }),
      format('%o %O %j %s', kr, kr, kr, kr),
      JSON.stringify(Object.entries(kr)),
      inspect(kr.kekKey(kr.activeKek.id), { showHidden: true }),
      inspect(kr.blindIndexKey(), { showHidden: true }),
      inspect(kr.signingPrivateKey(), { showHidden: true }),
    ]
    for (const r of renderings) {
      for (const s of secrets) expect(r).not.toContain(s)
    }
    expect(String(kr)).toContain(kr.activeKek.id)
    expect(JSON.parse(JSON.stringify(kr))).toEqual({
      format: 'dialward.keyring',
      version: 1,
      keks: kr.keks,
      blindIndex: kr.blindIndexKeyMeta,
      signing: kr.signingKeyMeta,
    })
  })
})

describe('rotateKek', () => {
  it('adds a new active KEK, retires the old one and keeps the other keys', () => {
    const path = newPath()
    const before = createKeyring(path, new Date('2025-01-01T00:00:00.000Z'))
    const after = rotateKek(path, new Date('2025-06-01T00:00:00.000Z'))
    expect(after.keks).toHaveLength(2)
    const [old, next] = after.keks
    expect(old).toEqual({ ...before.activeKek, state: 'retired' })
    expect(next).toMatchObject({ state: 'active', alg: 'A256GCM', createdAt: '2025-06-01T00:00:00.000Z' })
    expect(after.activeKek.id).toBe(next?.id)
    expect(after.activeKek.id).not.toBe(before.activeKek.id)
    expect(after.kekKey(before.activeKek.id)?.equals(before.kekKey(before.activeKek.id)!)).toBe(true)
    expect(after.blindIndexKeyMeta).toEqual(before.blindIndexKeyMeta)
    expect(after.blindIndexKey().equals(before.blindIndexKey())).toBe(true)
    expect(after.signingKeyMeta).toEqual(before.signingKeyMeta)
    expect(after.signingPrivateKey().equals(before.signingPrivateKey())).toBe(true)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(readdirSync(join(path, '..'))).toEqual(['keyring.json'])
    expect(loadKeyring(path).toJSON()).toEqual(after.toJSON())
  })

  it('keeps every KEK across repeated rotations, with exactly one active', () => {
    const path = newPath()
    createKeyring(path)
    let kr = loadKeyring(path)
    for (let i = 0; i < 5; i++) kr = rotateKek(path)
    expect(kr.keks).toHaveLength(6)
    expect(kr.keks.filter((k) => k.state === 'active')).toEqual([kr.activeKek])
    expect(new Set(kr.keks.map((k) => k.id)).size).toBe(6)
  })

  it('removes temporary files left by a crashed earlier write', () => {
    const path = newPath()
    createKeyring(path)
    const stale = join(path, '..', '.keyring.json.0123456789ab.tmp')
    writeFileSync(stale, 'old key material', { mode: 0o600 })
    rotateKek(path)
    expect(existsSync(stale)).toBe(false)
  })

  it('refuses to run while another rotation holds the lock, changing nothing', () => {
    const path = newPath()
    createKeyring(path)
    const before = readFileSync(path)
    writeFileSync(`${path}.lock`, '123\n')
    expect(expectKeyringError(() => rotateKek(path), 'locked').message).toContain(`${path}.lock`)
    expect(readFileSync(path).equals(before)).toBe(true)
  })

  it('refuses a keyring with loose permissions and releases the lock', () => {
    const path = newPath()
    createKeyring(path)
    chmodSync(path, 0o644)
    expectKeyringError(() => rotateKek(path), 'permissions')
    expect(existsSync(`${path}.lock`)).toBe(false)
    expectKeyringError(() => rotateKek(newPath()), 'not-found')
  })
})
