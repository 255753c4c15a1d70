/**
 * Registry file parse into the paged bitset, against the machine limit on the same file.
 *
 *   node --import tsx bench/registry-parse.bench.ts
 *
 * Writes a seeded flat file of `BENCH_REGISTRY_LINES` lines (a header, then `NPA,NXXXXXX` and
 * 10-digit lines mixed, CRLF on every other line) over as many area codes as the lines fill at
 * FTC density (about 9 % of an area code's 8 M numbers), then, `BENCH_ROUNDS` times each:
 * `wc -l` on the file (the machine limit), `readRegistryFile` (stream, UTF-8 decode, parse,
 * bitset), and the parser alone over in-memory 1 MiB string chunks. Reports rows/s, the ratio
 * to `wc -l`, the bitset's bytes per number, and the peak RSS of one load in a child process.
 * Not a test: nothing asserts times.
 */
import { mkdtempSync, rmSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PagedBitset, PAGE_BYTES } from '../src/core/dnc/paged-bitset.js'
import { RegistryFileParser } from '../src/core/dnc/registry-file.js'
import { readRegistryFile } from '../src/app/files/read-registry-file.js'
import { emit, envInt, log, measure, rates, rng, stat } from './lib/common.js'
import { geographicNpas, npasForDensity, pickNpas, randomNumber, writeLines } from './lib/data.js'

/** Index of the paged bitset: 1,000,000 Int32 entries, allocated with the first page. */
const INDEX_BYTES = 4_000_000

// Child mode: load the file once and exit (measured by GNU time for peak RSS).
if (process.env['BENCH_CHILD_LOAD']) {
  const r = await readRegistryFile(process.env['BENCH_CHILD_LOAD'], 'us-national')
  process.stdout.write(`${r.bitset.size}\n`)
  process.exit(0)
}

const LINES = envInt('BENCH_REGISTRY_LINES', 3_000_000)
const ROUNDS = envInt('BENCH_ROUNDS', 5)
const rnd = rng(envInt('BENCH_SEED', 20261201))
const npas = pickNpas(geographicNpas('US'), npasForDensity(LINES), rnd)

const dir = mkdtempSync(join(tmpdir(), 'dialward-bench-registry-'))
const path = join(dir, 'registry.txt')
await writeLines(path, (push) => {
  push('areacode,number\n')
  for (let i = 0; i < LINES; i++) {
    const n = randomNumber(npas, rnd)
    const npa = Math.floor(n / 1e7)
    push(i & 1 ? `${npa},${n - npa * 1e7}\r\n` : `${n}\n`)
  }
})
const bytes = statSync(path).size
log(`registry file: ${LINES} lines over ${npas.length} NPAs, ${(bytes / 1e6).toFixed(0)} MB`)

const wc: number[] = []
for (let k = 0; k < ROUNDS; k++) wc.push(measure('wc', ['-l', path]).ms)

const file: number[] = []
let size = 0
let pages = 0
for (let k = 0; k < ROUNDS; k++) {
  const t = performance.now()
  const r = await readRegistryFile(path, 'us-national')
  file.push(performance.now() - t)
  if (r.numbers !== LINES) throw new Error(`parsed ${r.numbers} of ${LINES} numbers`)
  size = r.bitset.size
  pages = r.bitset.pageCount
}
log(`readRegistryFile: ${Math.round((LINES / stat(file).median) * 1000).toLocaleString('en-US')} rows/s`)

const text = readFileSync(path, 'utf8')
const mem: number[] = []
for (let k = 0; k < ROUNDS; k++) {
  const t = performance.now()
  const parser = new RegistryFileParser(new PagedBitset(), { format: 'nanp' })
  for (let at = 0; at < text.length; at += 1 << 20) parser.feed(text.slice(at, at + (1 << 20)))
  parser.end()
  mem.push(performance.now() - t)
}

const child = measure(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], { env: { ...process.env, BENCH_CHILD_LOAD: path } })
const node0 = measure(process.execPath, [...process.execArgv, '-e', '0'])
rmSync(dir, { recursive: true, force: true })

const bitsetBytes = pages * PAGE_BYTES + INDEX_BYTES
/** The same layout at registry scale: every NPA-NXX of about 330 area codes (NXX 200–999). */
const registryPages = 330 * 800
emit({
  config: { lines: LINES, npas: npas.length, bytes, rounds: ROUNDS },
  wcMs: stat(wc),
  wcRate: rates(wc, LINES),
  readRegistryFile: { ms: stat(file), rate: rates(file, LINES) },
  parserInMemory: { ms: stat(mem), rate: rates(mem, LINES) },
  bitset: { distinct: size, pages, bytes: bitsetBytes, bytesPerNumber: bitsetBytes / size, pageBytesPerNumber: (pages * PAGE_BYTES) / size, density: size / (npas.length * 8_000_000) },
  registryScale: { numbers: 258_500_000, bytes: registryPages * PAGE_BYTES + INDEX_BYTES, bytesPerNumber: (registryPages * PAGE_BYTES + INDEX_BYTES) / 258_500_000 },
  childLoad: { ms: child.ms, peakRss: child.peakRss, nodeTsxBaselineRss: node0.peakRss },
})
