/**
 * End to end through the CLI, one process per command, in a temporary data directory (SQLite):
 *
 * - `registry import` of a generated `BENCH_REGISTRY`-number flat file (rows/s, peak RSS);
 * - `scrub` of a generated `BENCH_SCRUB_ROWS`-row CSV (8 phone spellings, 1 % junk, a quarter of
 *   the rows on the registry), `BENCH_RUNS` runs: rows/s and peak RSS;
 * - the Unix peer on the same numbers: `LC_ALL=C sort -u` of both lists + `comm -23` (the
 *   numbers handed to it already as 10 digits, which favours the peer);
 * - `check`: `BENCH_CHECKS` processes, one number each (median wall time), next to the cost of
 *   starting node and of loading the CLI (`--version`).
 *
 *   BENCH_CLI=path/to/cli/main.js node --import tsx bench/scrub-cli.bench.ts
 *
 * Each scrub run starts from the same snapshot of the data directory (the decision log grows by
 * one row per input row, and inserts slow down as it grows).
 * The campaign is marketing, manually dialed (no consent needed), so verdicts come from the
 * registry, the calling windows and the other rules rather than a blanket NO_CONSENT.
 * Not a test: nothing asserts times.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { emit, envInt, log, measure, rng, stat, type Measured } from './lib/common.js'
import { FORMATS, geographicNpas, npasForDensity, pickNpas, randomNumber, writeLines } from './lib/data.js'
import { nanpAreaCode } from '../src/core/phone/nanp.js'

const ROWS = envInt('BENCH_SCRUB_ROWS', 200_000)
const REGISTRY = envInt('BENCH_REGISTRY', 1_000_000)
const RUNS = envInt('BENCH_RUNS', 3)
const CHECKS = envInt('BENCH_CHECKS', 15)
const SEED = envInt('BENCH_SEED', 20261201)
const KEEP = process.env['BENCH_KEEP'] === '1'
const cli = resolve(process.env['BENCH_CLI'] ?? 'dist/cli/main.js')
/** 09:00 in New York, 06:00 in Los Angeles: western numbers are blocked by the calling window. */
const AT = '2026-12-01T14:00:00Z'

const rnd = rng(SEED)
const dir = mkdtempSync(join(tmpdir(), 'dialward-bench-scrub-'))
const data = join(dir, 'data')
const env = { ...process.env, DIALWARD_DATA: data, DIALWARD_DATABASE_URL: '', DIALWARD_ACTOR: 'bench' }
const dw = (args: string[], allowFail = false): Measured => measure(process.execPath, [cli, ...args], { env, allowFail })

// Registry at FTC density over the first NPAs; input rows from the registry (a quarter) or from
// 60 NPAs (US, a split area code, Canada), so the places and windows vary.
const us = geographicNpas('US')
const ca = geographicNpas('CA')
const registryNpas = pickNpas(us, npasForDensity(REGISTRY), rnd, [305, 850])
const inputNpas = [...pickNpas(us, 50, rnd, [305, 850, 212, 213, 907, 808]), ...pickNpas(ca, 10, rnd, [416, 604])]
const registry = new Float64Array(REGISTRY)
for (let i = 0; i < REGISTRY; i++) registry[i] = randomNumber(registryNpas, rnd)
const registryPath = join(dir, 'registry.txt')
await writeLines(registryPath, (push) => {
  for (let i = 0; i < REGISTRY; i++) push(`${registry[i]}\n`)
})

const inputPath = join(dir, 'input.csv')
const numbersPath = join(dir, 'input-numbers.txt')
const tens: string[] = []
await writeLines(inputPath, (push) => {
  push('id,name,phone,state\n')
  for (let i = 0; i < ROWS; i++) {
    const r = rnd()
    let phone: string
    let state = ''
    if (r < 0.01) {
      phone = rnd() < 0.5 ? 'n/a' : '555-0100'
    } else {
      const n = r < 0.26 ? registry[Math.floor(rnd() * REGISTRY)]! : randomNumber(inputNpas, rnd)
      const d = String(n)
      tens.push(d)
      phone = FORMATS[i % FORMATS.length]!(d)
      const region = nanpAreaCode(Math.floor(n / 1e7))?.regions[0]
      if (rnd() < 0.1 && region) state = region
    }
    push(`${i + 1},Person ${i + 1},${phone.includes(',') ? `"${phone}"` : phone},${state}\n`)
  }
})
await writeLines(numbersPath, (push) => {
  for (const t of tens) push(`${t}\n`)
})
const inputBytes = statSync(inputPath).size
log(`data: registry ${REGISTRY} numbers over ${registryNpas.length} NPAs, input ${ROWS} rows (${(inputBytes / 1e6).toFixed(1)} MB) in ${dir}`)

dw(['init'])
dw(['campaign', 'add', '--id', 'bench', '--seller', 'Bench Co', '--purpose', 'marketing', '--dialing', 'manual'])
dw(['dnc', 'add', '--phone', String(registry[0]), '--at', '2026-11-01T00:00:00Z'])

log('registry import…')
const imp = dw(['registry', 'import', '--registry', 'us-national', '--file', registryPath, '--as-of', '2026-11-25', '--json'])
const imported = JSON.parse(imp.stdout) as { numbers: number; lines: number }

const scrubs: { ms: number; peakRss: number | null }[] = []
let summary: { rows: number; allowed: number; blocked: number; invalid: number; byReason: Record<string, number> } | null = null
// Every run starts from the same database (the decision log grows by ROWS rows per run, and
// inserts slow down as it grows): snapshot the data directory once, restore it before each run.
const base = join(dir, 'data.base')
cpSync(data, base, { recursive: true })
for (let run = 0; run < RUNS; run++) {
  log(`scrub run ${run + 1}/${RUNS}…`)
  rmSync(data, { recursive: true, force: true })
  cpSync(base, data, { recursive: true })
  const outPath = join(dir, `out-${run}.csv`)
  const m = dw(['scrub', '--campaign', 'bench', '--in', inputPath, '--out', outPath, '--at', AT, '--state-column', 'state', '--json'])
  scrubs.push({ ms: m.ms, peakRss: m.peakRss })
  summary = JSON.parse(m.stdout)
  const outLines = readFileSync(outPath, 'utf8').split('\n').length - 2
  if (outLines !== ROWS) throw new Error(`scrub wrote ${outLines} rows, expected ${ROWS}`)
  if (!KEEP) rmSync(outPath)
}

log('Unix peer: sort -u + comm -23…')
const C = { ...process.env, LC_ALL: 'C' }
const sortReg: number[] = []
const sortIn: number[] = []
const comm: number[] = []
let peerRss = 0
let peerClean = 0
for (let run = 0; run < RUNS; run++) {
  const a = measure('sort', ['-u', '-o', join(dir, 'reg.sorted'), registryPath], { env: C })
  const b = measure('sort', ['-u', '-o', join(dir, 'in.sorted'), numbersPath], { env: C })
  const c = measure('comm', ['-23', join(dir, 'in.sorted'), join(dir, 'reg.sorted')], { env: C })
  sortReg.push(a.ms)
  sortIn.push(b.ms)
  comm.push(c.ms)
  peerRss = Math.max(peerRss, a.peakRss ?? 0, b.peakRss ?? 0, c.peakRss ?? 0)
  peerClean = c.stdout.split('\n').length - 1
}

log(`check latency (${CHECKS} processes)…`)
const node0: number[] = []
const version: number[] = []
const checks: number[] = []
let checkRss = 0
for (let i = 0; i < CHECKS; i++) {
  node0.push(measure(process.execPath, ['-e', '0']).ms)
  version.push(measure(process.execPath, [cli, '--version']).ms)
  const n = i % 2 === 0 ? registry[i]! : randomNumber(inputNpas, rnd)
  const m = dw(['check', '--campaign', 'bench', '--phone', String(n), '--at', AT, '--json'])
  checks.push(m.ms)
  checkRss = Math.max(checkRss, m.peakRss ?? 0)
}

if (!KEEP) rmSync(dir, { recursive: true, force: true })
else log(`kept ${dir}`)

const peerCold = sortReg.map((t, i) => t + sortIn[i]! + comm[i]!)
const peerWarm = sortIn.map((t, i) => t + comm[i]!)
emit({
  config: { rows: ROWS, registry: REGISTRY, registryNpas: registryNpas.length, inputNpas: inputNpas.length, runs: RUNS, checks: CHECKS, at: AT, inputBytes, seed: SEED },
  import: { ms: imp.ms, peakRss: imp.peakRss, numbers: imported.numbers, lines: imported.lines },
  scrub: { ms: stat(scrubs.map((s) => s.ms)), peakRss: stat(scrubs.map((s) => s.peakRss ?? 0)), summary },
  peer: {
    sortRegistryMs: stat(sortReg),
    sortInputMs: stat(sortIn),
    commMs: stat(comm),
    coldMs: stat(peerCold),
    presortedMs: stat(peerWarm),
    peakRss: peerRss,
    inputNumbers: tens.length,
    clean: peerClean,
  },
  check: { ms: stat(checks), nodeStartMs: stat(node0), cliVersionMs: stat(version), peakRss: checkRss },
})
