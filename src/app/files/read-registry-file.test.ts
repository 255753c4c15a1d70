import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { readRegistryFile, RegistryFileError } from './read-registry-file.js'

const dir = mkdtempSync(join(tmpdir(), 'dialward-registry-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let files = 0
function file(content: string | Uint8Array, name = `f${files++}.txt`): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

describe('readRegistryFile', () => {
  it('loads an FTC-style flat file', async () => {
    const path = file('areacode,number\r\n305,2000002\r\n305,2000003\r\n\r\n4165550000\r\n305,2000002\r\n')
    const result = await readRegistryFile(path, 'us-national')
    expect(result.registry.id).toBe('us-national')
    expect(result).toMatchObject({ lines: 6, numbers: 4, duplicates: 1, skipped: 0, blank: 1, header: true })
    expect(result.bitset.size).toBe(3)
    expect(result.bitset.has(4165550000)).toBe(true)
  })

  it('loads a UK TPS file', async () => {
    const result = await readRegistryFile(file('01632960000\n+447700900123\n'), 'uk-tps')
    expect(result.bitset.has(1632960000)).toBe(true)
    expect(result.bitset.has(7700900123)).toBe(true)
  })

  it('fails on the first malformed line, naming it without its content', async () => {
    const lines = Array.from({ length: 16 }, (_, i) => String(3052000000 + i))
    lines.push('305-555-0123')
    const path = file(`${lines.join('\n')}\n3052000099\n`)
    const error = await readRegistryFile(path, 'us-state-FL').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RegistryFileError)
    expect((error as RegistryFileError).line).toBe(17)
    expect((error as RegistryFileError).message).toBe(
      "registry file line 17: unexpected character '-' at column 4; expected NPA,NXXXXXX or 10 digits",
    )
    expect((error as RegistryFileError).message).not.toContain('555')
  })

  it('reports a malformed last line without a newline', async () => {
    await expect(readRegistryFile(file('3052000002\n305'), 'ca-national')).rejects.toMatchObject({
      line: 2,
      reason: 'expected NPA,NXXXXXX or 10 digits',
    })
  })

  it('skips malformed lines with skipInvalid', async () => {
    const result = await readRegistryFile(file('3052000002\nx\n1052000002\n3052000003'), 'us-national', { skipInvalid: true })
    expect(result).toMatchObject({ lines: 4, numbers: 2, skipped: 2 })
  })

  it('reads gzip files transparently', async () => {
    // exchanges 220-254 of area code 201 (no N11 exchange, which a registry line may not hold)
    const text = `phone\n${Array.from({ length: 50_000 }, (_, i) => String(2012200000 + i * 7)).join('\n')}\n`
    const result = await readRegistryFile(file(gzipSync(text), 'list.txt.gz'), 'us-national')
    expect(result).toMatchObject({ lines: 50_001, numbers: 50_000, header: true })
    expect(result.bitset.has(2012200000 + 49_999 * 7)).toBe(true)
  })

  it('decodes UTF-8 split across chunks and ignores a BOM', async () => {
    const big = `\ufeff${'3052000002\n'.repeat(100_000)}`
    const result = await readRegistryFile(file(big), 'us-national')
    expect(result).toMatchObject({ lines: 100_000, numbers: 100_000, duplicates: 99_999 })
    const tail = await readRegistryFile(file(`${'3052000002\n'.repeat(95_325)}305200000\u00e9\n`), 'us-national').catch((e: unknown) => e)
    expect((tail as RegistryFileError).reason).toBe('unexpected character U+00E9 at column 10; expected NPA,NXXXXXX or 10 digits')
  })

  it('rejects an unknown registry id and a missing file', async () => {
    await expect(readRegistryFile(file('3052000002\n'), 'us-state-ZZ')).rejects.toThrow(RangeError)
    await expect(readRegistryFile(join(dir, 'missing.txt'), 'us-national')).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('fails on a corrupt gzip file', async () => {
    const gz = gzipSync('3052000002\n'.repeat(1000))
    await expect(readRegistryFile(file(gz.subarray(0, gz.length >> 1)), 'us-national')).rejects.toThrow()
  })
})
