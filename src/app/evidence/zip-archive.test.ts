import { describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { crc32, readZip, writeZip } from './zip-archive.js'
import { tempDir } from '../../../test/support/temp-dir.js'

const files = [
  { path: 'a.txt', bytes: Buffer.from('hello') },
  { path: 'dir/b.bin', bytes: Buffer.from([0, 1, 2, 255]) },
  { path: 'empty', bytes: Buffer.alloc(0) },
]

describe('zip archive', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926)
  })

  it('round-trips and is deterministic', () => {
    const zip = writeZip(files)
    expect(readZip(zip).map((e) => [e.path, Buffer.from(e.bytes).toString('hex')])).toEqual(files.map((f) => [f.path, f.bytes.toString('hex')]))
    expect(writeZip(readZip(zip)).equals(zip)).toBe(true)
  })

  it('is readable by python zipfile, and reads DEFLATE archives it writes', () => {
    const dir = tempDir('zip-archive')
    writeFileSync(join(dir, 'ours.zip'), writeZip(files))
    const script = `import zipfile,sys
z=zipfile.ZipFile(sys.argv[1]+'/ours.zip'); assert z.testzip() is None; assert z.read('a.txt')==b'hello'
w=zipfile.ZipFile(sys.argv[1]+'/theirs.zip','w',zipfile.ZIP_DEFLATED); w.writestr('x/y.txt', b'abc'*1000); w.close()`
    // python3 is on every machine that builds better-sqlite3 (see README)
    execFileSync('python3', ['-c', script, dir])
    expect(readZip(readFileSync(join(dir, 'theirs.zip')))).toEqual([{ path: 'x/y.txt', bytes: Buffer.from('abc'.repeat(1000)) }])
  })

  it('refuses damaged archives and unsafe paths', () => {
    const zip = writeZip(files)
    const bad = Buffer.from(zip)
    bad[36]! ^= 1 // inside a.txt's data: CRC mismatch
    expect(() => readZip(bad)).toThrow(/CRC-32/)
    expect(() => readZip(Buffer.from('not a zip'))).toThrow(/not a ZIP/)
    expect(() => writeZip([{ path: '../x', bytes: Buffer.alloc(0) }])).toThrow(/unsafe path/)
    expect(() => readZip(writeZip([files[0]!, files[0]!]))).toThrow(/twice/)
  })

  it('never throws anything but its own error on random damage', () => {
    const zip = writeZip(files)
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), (at, mask) => {
        const b = Buffer.from(zip)
        b[at % b.length]! ^= mask
        try {
          readZip(b)
        } catch (err) {
          expect((err as Error).message).toMatch(/^evidence package is not a valid archive/)
        }
      }),
      { numRuns: 500 },
    )
  })
})
