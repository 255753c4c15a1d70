import { describe, expect, it } from 'vitest'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from './temp-dir.js'
import { filesContaining } from './canary-scan.js'

describe('filesContaining', () => {
  it('finds a needle anywhere in any file under a directory, also across a block boundary, and nowhere else', () => {
    const dir = tempDir('canary-scan')
    mkdirSync(join(dir, 'sub'))
    const big = Buffer.alloc((1 << 20) + 10, 0x61)
    big.write('zqcanary', (1 << 20) - 4, 'latin1')
    writeFileSync(join(dir, 'sub', 'split.bin'), big)
    writeFileSync(join(dir, 'clean.bin'), Buffer.alloc(3 << 20, 0x62))
    writeFileSync(join(dir, 'tail.txt'), 'xxxx zqcanary')
    expect(filesContaining(dir, 'zqcanary').sort()).toEqual([join(dir, 'sub', 'split.bin'), join(dir, 'tail.txt')].sort())
    expect(filesContaining(dir, 'zqabsent')).toEqual([])
  })
})
