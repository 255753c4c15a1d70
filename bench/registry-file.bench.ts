/**
 * Registry import throughput: writes a synthetic flat file (`NPA,NXXXXXX` and 10-digit lines
 * mixed, CRLF every other line) over `npas` area codes (NXX 200–999) and loads it with
 * readRegistryFile; also the parser alone over in-memory chunks.
 *
 *   node --import tsx bench/registry-file.bench.ts [lines=1000000] [npas=20]
 *
 * Prints rows/s of the median of 5 runs. Not a test: nothing asserts times.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PagedBitset } from '../src/core/dnc/paged-bitset.js'
import { RegistryFileParser } from '../src/core/dnc/registry-file.js'
import { readRegistryFile } from '../src/registry/read-registry-file.js'

const LINES = Number(process.argv[2] ?? 1_000_000)
const NPAS = Number(process.argv[3] ?? 20)
let seed = 0x9e3779b9
function rnd(): number {
  seed ^= seed << 13
  seed ^= seed >>> 17
  seed ^= seed << 5
  return (seed >>> 0) / 4294967296
}
const parts: string[] = ['areacode,number\n']
for (let i = 0; i < LINES; i++) {
  const npa = 200 + Math.floor(rnd() * NPAS)
  const nxx = 200 + Math.floor(rnd() * 800)
  const line = String(Math.floor(rnd() * 10_000)).padStart(4, '0')
  parts.push(i & 1 ? `${npa},${nxx}${line}\r\n` : `${npa}${nxx}${line}\n`)
}
const dir = mkdtempSync(join(tmpdir(), 'dialward-bench-'))
const path = join(dir, 'registry.txt')
writeFileSync(path, parts.join(''))
const text = readFileSync(path, 'utf8')

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[xs.length >> 1]!
}

const inMemory: number[] = []
for (let run = 0; run < 5; run++) {
  const t = performance.now()
  const parser = new RegistryFileParser(new PagedBitset(), { format: 'nanp' })
  for (let at = 0; at < text.length; at += 1 << 20) parser.feed(text.slice(at, at + (1 << 20)))
  parser.end()
  inMemory.push(performance.now() - t)
}
const fromFile: number[] = []
for (let run = 0; run < 5; run++) {
  const t = performance.now()
  const result = await readRegistryFile(path, 'us-national')
  fromFile.push(performance.now() - t)
  if (result.numbers !== LINES) throw new Error(`parsed ${result.numbers} of ${LINES}`)
}
rmSync(dir, { recursive: true, force: true })
const rate = (ms: number): string => `${((LINES / ms) * 1000 / 1e6).toFixed(2)} M rows/s (${ms.toFixed(0)} ms)`
console.log(`${LINES} lines over ${NPAS} NPAs, ${(text.length / 1e6).toFixed(1)} MB, node ${process.version}`)
console.log(`parser over in-memory 1 MiB string chunks: ${rate(median(inMemory))}`)
console.log(`readRegistryFile (stream, UTF-8 decode):   ${rate(median(fromFile))}`)
