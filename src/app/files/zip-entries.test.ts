import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { zipEntries } from './zip-entries.js'
import { zipOf } from '../../../test/support/zip.js'

const dir = mkdtempSync(join(tmpdir(), 'dialward-zip-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let n = 0
const file = (bytes: Uint8Array): string => {
  const p = join(dir, `z${n++}.zip`)
  writeFileSync(p, bytes)
  return p
}
const text = async (s: NodeJS.ReadableStream): Promise<string> => {
  let out = ''
  for await (const c of s) out += String(c)
  return out
}

describe('zipEntries', () => {
  it('lists stored and deflated entries (not directories) and streams each with its CRC checked', async () => {
    const big = '3052000001\n'.repeat(50_000)
    const path = file(zipOf([{ name: '305.txt', text: big }, { name: 'dir/', text: '', store: true }, { name: '416.csv', text: '416,2000001\n', store: true }, { name: '__MACOSX/._305.txt', text: 'x' }]))
    const entries = await zipEntries(path)
    expect(entries.map((e) => e.name)).toEqual(['305.txt', '416.csv'])
    expect(await text(entries[0]!.open())).toBe(big)
    expect(await text(entries[1]!.open())).toBe('416,2000001\n')
  })

  it('refuses a truncated archive and a corrupt entry as INVALID_REGISTRY_FILE', async () => {
    const zip = zipOf([{ name: 'a.txt', text: '3052000001\n'.repeat(1000) }])
    await expect(zipEntries(file(zip.subarray(0, zip.length - 30)))).rejects.toMatchObject({ code: 'INVALID_REGISTRY_FILE' })
    const stored = zipOf([{ name: 'a.txt', text: '3052000001\n3052000002\n', store: true }])
    const flipped = Buffer.from(stored)
    flipped[30 + 'a.txt'.length + 3] = 0x39 // one digit of the stored data changed: the CRC no longer matches
    const [entry] = await zipEntries(file(flipped))
    await expect(text(entry!.open())).rejects.toMatchObject({ code: 'INVALID_REGISTRY_FILE', message: expect.stringMatching(/CRC/) })
  })
})
