import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { removeStaleTempFiles, writeFileAtomic } from './atomic-file.js'
import { withLockFile } from './file-lock.js'
import { tempDir as testTempDir } from '../../test/support/temp-dir.js'

const tempDir = (): string => testTempDir('atomic')

describe('writeFileAtomic', () => {
  const saved = process.umask()
  afterEach(() => {
    process.umask(saved)
  })

  it('writes the content with mode 0600 whatever the umask, and leaves no temporary file', () => {
    for (const umask of [0o000, 0o022, 0o077]) {
      process.umask(umask)
      const dir = tempDir()
      const path = join(dir, 'f.json')
      writeFileAtomic(path, 'hello')
      expect(readFileSync(path, 'utf8')).toBe('hello')
      expect(statSync(path).mode & 0o777).toBe(0o600)
      expect(readdirSync(dir)).toEqual(['f.json'])
    }
  })

  it('replaces an existing file when not exclusive', () => {
    const path = join(tempDir(), 'f')
    writeFileSync(path, 'old', { mode: 0o644 })
    writeFileAtomic(path, Buffer.from('new'))
    expect(readFileSync(path, 'utf8')).toBe('new')
    expect(statSync(path).mode & 0o777).toBe(0o600)
  })

  it('refuses to replace an existing file when exclusive, keeping it intact', () => {
    const dir = tempDir()
    const path = join(dir, 'f')
    writeFileSync(path, 'old')
    expect(() => writeFileAtomic(path, 'new', { exclusive: true })).toThrow(expect.objectContaining({ code: 'EEXIST' }))
    expect(readFileSync(path, 'utf8')).toBe('old')
    expect(readdirSync(dir)).toEqual(['f'])
  })

  it('fails cleanly when the directory does not exist', () => {
    const path = join(tempDir(), 'missing', 'f')
    expect(() => writeFileAtomic(path, 'x')).toThrow(expect.objectContaining({ code: 'ENOENT' }))
  })

  it('honours an explicit mode', () => {
    const path = join(tempDir(), 'f')
    writeFileAtomic(path, 'x', { mode: 0o400 })
    expect(statSync(path).mode & 0o777).toBe(0o400)
  })
})

describe('withLockFile', () => {
  it('excludes a second holder and releases the lock afterwards, even when fn throws', () => {
    const lock = join(tempDir(), 'x.lock')
    const result = withLockFile(lock, () => {
      expect(readFileSync(lock, 'utf8')).toBe(`${process.pid}\n`)
      expect(() => withLockFile(lock, () => 1)).toThrow(expect.objectContaining({ code: 'EEXIST' }))
      return 42
    })
    expect(result).toBe(42)
    expect(existsSync(lock)).toBe(false)
    expect(() =>
      withLockFile(lock, () => {
        throw new Error('boom')
      }),
    ).toThrow('boom')
    expect(existsSync(lock)).toBe(false)
  })
})

describe('removeStaleTempFiles', () => {
  it('removes only the temporary files of that path', () => {
    const dir = tempDir()
    const path = join(dir, 'keyring.json')
    writeFileAtomic(path, 'x')
    const stale = ['.keyring.json.0123456789ab.tmp', '.keyring.json.ffffffffffff.tmp']
    const keep = ['.keyring.json.lock', '.other.json.0123456789ab.tmp', '.keyring.json.xyz.tmp', 'keyring.json.bak']
    for (const name of [...stale, ...keep]) writeFileSync(join(dir, name), 'secret')
    expect(removeStaleTempFiles(path)).toBe(2)
    expect(readdirSync(dir).sort()).toEqual([...keep, 'keyring.json'].sort())
    expect(removeStaleTempFiles(path)).toBe(0)
  })
})
