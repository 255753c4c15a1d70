/**
 * `npm run bench`: the whole benchmark suite in one command. Builds the CLI from the current
 * src/ into .tmp/bench-dist (so the CLI figures are of this tree, not a stale dist/), runs each
 * section in its own node process (fresh JIT and heap), and writes bench/results/latest.json and
 * bench/results/latest.md. Data is generated, seeded, in temporary directories.
 *
 * Environment (the default run takes about 10 minutes on 2 vCPUs, most of it the scale section):
 *   BENCH_ONLY=decide,normalize,registry,scale  sections to run (default; `scrub` is the small CLI bench,
 *                             `contacts` the 1,000,000-row lead import of issue 11, BENCH_LEADS rows)
 *   BENCH_SCALE_REGISTRY=50000000, BENCH_SCALE_ROWS=10000000, BENCH_SCALE_NPAS=330, BENCH_CONSENTS=2000,
 *   BENCH_DNC=500, BENCH_PEER_RUNS=1   sizes of the scale section (issue 9); it also writes docs/reference/performance.md
 *   BENCH_ROUNDS=5            in-process passes per measurement (median reported)
 *   BENCH_RUNS=3              CLI scrub runs and Unix-peer runs
 *   BENCH_CHECKS=15           `check` processes
 *   BENCH_DECIDE_PER_ROUND=100000, BENCH_PHONES=200000, BENCH_REGISTRY_LINES=3000000,
 *   BENCH_SCRUB_ROWS=200000, BENCH_REGISTRY=1000000, BENCH_SEED=20261201
 *   BENCH_CLI=path/to/cli/main.js  use an already built CLI instead of building one
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { renderMarkdown, renderPerformanceDoc, type Results } from './lib/report.js'

const root = resolve(fileURLToPath(new URL('..', import.meta.url)))
const only = (process.env['BENCH_ONLY'] ?? 'decide,normalize,registry,scale').split(',').map((s) => s.trim())
const sections: [string, string][] = [
  ['decide', 'bench/decide.bench.ts'],
  ['normalize', 'bench/normalize.bench.ts'],
  ['registry', 'bench/registry-parse.bench.ts'],
  ['scrub', 'bench/scrub-cli.bench.ts'],
  ['scale', 'bench/scale.bench.ts'],
  ['contacts', 'bench/contacts-import.bench.ts'],
]

const started = Date.now()
const git = (args: string[]): string => {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim()
  } catch {
    return 'unknown'
  }
}
const results: Results = {
  date: new Date().toISOString(),
  commit: git(['rev-parse', '--short', 'HEAD']),
  dirty: git(['status', '--porcelain', '--', 'src']) !== '',
  machine: {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadBefore: loadavg()[0]!,
    loadAfter: 0,
  },
  env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('BENCH_'))),
  sections: {},
  seconds: 0,
}

let cli = process.env['BENCH_CLI']
if ((only.includes('scrub') || only.includes('scale') || only.includes('contacts')) && !cli) {
  process.stderr.write('building the CLI from src/ into .tmp/bench-dist…\n')
  const out = join(root, '.tmp', 'bench-dist')
  rmSync(out, { recursive: true, force: true })
  // tsc emits even when another engineer's work in progress has a type error; the exit status is ignored.
  spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', out], { cwd: root, stdio: 'ignore' })
  cli = join(out, 'cli', 'main.js')
}

const scratch = mkdtempSync(join(tmpdir(), 'dialward-bench-run-'))
for (const [name, file] of sections) {
  if (!only.includes(name)) continue
  process.stderr.write(`== ${name} (${file})\n`)
  const outFile = join(scratch, `${name}.json`)
  const t = Date.now()
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, file)], {
    cwd: root,
    env: { ...process.env, BENCH_OUT: outFile, ...(cli ? { BENCH_CLI: cli } : {}) },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  if (r.status !== 0) {
    process.stderr.write(`   ${name} failed (status ${r.status})\n`)
    results.sections[name] = { error: `exit status ${r.status}` }
    continue
  }
  results.sections[name] = JSON.parse(readFileSync(outFile, 'utf8'))
  process.stderr.write(`   ${((Date.now() - t) / 1000).toFixed(1)} s\n`)
}
rmSync(scratch, { recursive: true, force: true })
results.machine.loadAfter = loadavg()[0]!
results.seconds = (Date.now() - started) / 1000

const dir = join(root, 'bench', 'results')
mkdirSync(dir, { recursive: true })
writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`)
const md = renderMarkdown(results)
writeFileSync(join(dir, 'latest.md'), md)
if (results.sections['scale'] && !results.sections['scale'].error) writeFileSync(join(root, 'docs', 'reference', 'performance.md'), renderPerformanceDoc(results))
process.stdout.write(md)
process.stderr.write(`wrote bench/results/latest.md and latest.json in ${results.seconds.toFixed(0)} s\n`)
