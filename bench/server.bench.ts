/**
 * `npm run bench:server`: the pre-dial API under load, measured with autocannon (the public HTTP
 * load generator) against `dialward serve` on the embedded SQLite default, in a child process.
 * Writes bench/results/server.json and prints a table.
 *
 * Scenarios: start to ready; single-number `POST /v1/check`; batches of 1,000 numbers; single
 * checks while a bulk scrub runs beside the server; a 100,000-record consent import.
 *
 * Environment: BENCH_SERVER_SECONDS=10 (per load scenario), BENCH_SERVER_CONNECTIONS=50,
 * BENCH_SERVER_REGISTRY=1000000 (numbers in the imported registry), BENCH_SERVER_CONSENTS=100000,
 * BENCH_SERVER_SCRUB_ROWS=200000, BENCH_SEED=20261201, BENCH_CLI (a built CLI; default dist/).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { envInt, rng, si } from './lib/common.js'
import { geographicNpas, pickNpas, randomNumber, writeLines } from './lib/data.js'

const root = resolve(fileURLToPath(new URL('..', import.meta.url)))
const cli = process.env['BENCH_CLI'] ?? join(root, 'dist/cli/main.js')
const seconds = envInt('BENCH_SERVER_SECONDS', 10)
const connections = envInt('BENCH_SERVER_CONNECTIONS', 50)
const registrySize = envInt('BENCH_SERVER_REGISTRY', 1_000_000)
const consentCount = envInt('BENCH_SERVER_CONSENTS', 100_000)
const scrubRows = envInt('BENCH_SERVER_SCRUB_ROWS', 200_000)
const rnd = rng(envInt('BENCH_SEED', 20261201))
const AT = '2026-12-01T18:00:00Z'

const dir = mkdtempSync(join(tmpdir(), 'dialward-bench-server-'))
const env = { ...process.env, DIALWARD_DATA: join(dir, 'data'), DIALWARD_DATABASE_URL: '', DIALWARD_LOG_LEVEL: 'warn' }
const run = (...args: string[]): string => {
  const r = spawnSync(process.execPath, [cli, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 26 })
  if (r.status !== 0) throw new Error(`dialward ${args.join(' ')} exited ${r.status}: ${r.stderr}`)
  return r.stdout
}
const log = (m: string): void => void process.stderr.write(`[bench:server] ${m}\n`)

// --- data: campaigns, a registry, consents (also the import benchmark), a dialer key ---
const npas = pickNpas(geographicNpas('US'), 60, rnd, [305, 850, 212])
run('campaign', 'add', '--id', 'mkt', '--seller', 'Acme Retail', '--purpose', 'marketing', '--dialing', 'autodialed')
const registryFile = join(dir, 'registry.txt')
await writeLines(registryFile, (push) => {
  for (let i = 0; i < registrySize; i++) push(`${randomNumber(npas, rnd)}\n`)
})
log(`importing a ${si(registrySize)}-number registry`)
run('registry', 'import', '--registry', 'us-national', '--file', registryFile, '--as-of', '2026-11-25')
const consented: string[] = []
const consentFile = join(dir, 'consents.csv')
await writeLines(consentFile, (push) => {
  push('phone,seller,kind,at,disclosure\n')
  for (let i = 0; i < consentCount; i++) {
    const n = String(randomNumber(npas, rnd))
    if (i < 5_000) consented.push(n)
    push(`${n},Acme Retail,written,2026-11-01T10:00:00Z,I agree to autodialed marketing calls from Acme Retail.\n`)
  }
})
log(`importing ${si(consentCount)} consents`)
const importStart = performance.now()
const imported = JSON.parse(run('consent', 'import', '--file', consentFile, '--json')) as { stored: number }
const importMs = performance.now() - importStart
const key = (JSON.parse(run('apikey', 'create', '--role', 'dialer', '--name', 'bench', '--json')) as { key: string }).key
const probes = [...consented, ...Array.from({ length: 5_000 }, () => String(randomNumber(npas, rnd)))]

// --- the server ---
function serve(): Promise<{ child: ChildProcess; url: string; readyMs: number }> {
  const started = performance.now()
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0'], { env, stdio: ['ignore', 'ignore', 'pipe'] })
  return new Promise((res, rej) => {
    let err = ''
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString()
      const m = /at (http:\/\/[\d.]+:\d+)/.exec(err)
      if (m) {
        const url = m[1]!
        const poll = async (): Promise<void> => {
          const r = await fetch(`${url}/readyz`).catch(() => null)
          if (r?.status === 200) res({ child, url, readyMs: performance.now() - started })
          else setTimeout(() => void poll(), 20)
        }
        void poll()
      }
    })
    child.once('exit', (code) => rej(new Error(`serve exited ${code}: ${err}`)))
  })
}
const { child, url, readyMs } = await serve()
log(`ready in ${readyMs.toFixed(0)} ms at ${url}`)

const body = (i: number): string => JSON.stringify({ campaign: 'mkt', phone: probes[i % probes.length], at: AT })
const singles = Array.from({ length: 2_000 }, (_, i) => ({ method: 'POST' as const, path: '/v1/check', body: body(i) }))
const batchBody = (k: number): string => JSON.stringify({ campaign: 'mkt', at: AT, numbers: Array.from({ length: 1_000 }, (_, i) => ({ phone: probes[(k * 1_000 + i) % probes.length] })) })
const batches = Array.from({ length: 8 }, (_, k) => ({ method: 'POST' as const, path: '/v1/check', body: batchBody(k) }))
const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' }

interface Load {
  readonly requestsPerSecond: number
  readonly numbersPerSecond: number
  readonly latencyMs: { readonly p50: number; readonly p97_5: number; readonly p99: number; readonly max: number }
  readonly errors: number
  readonly non2xx: number
}
async function load(requests: Array<{ method: 'POST'; path: string; body: string }>, conns: number, numbersPer: number): Promise<Load> {
  const r = await autocannon({ url, connections: conns, duration: seconds, headers, requests })
  return {
    requestsPerSecond: r.requests.average,
    numbersPerSecond: r.requests.average * numbersPer,
    latencyMs: { p50: r.latency.p50, p97_5: r.latency.p97_5, p99: r.latency.p99, max: r.latency.max },
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  }
}

await load(singles.slice(0, 200), 10, 1) // warm up
log(`single checks: ${connections} connections, ${seconds} s`)
const single = await load(singles, connections, 1)
log(`batches of 1,000: 10 connections, ${seconds} s`)
const batch = await load(batches, 10, 1_000)

// single checks while a scrub runs beside the server
const scrubIn = join(dir, 'leads.csv')
await writeLines(scrubIn, (push) => {
  push('phone\n')
  for (let i = 0; i < scrubRows; i++) push(`${randomNumber(npas, rnd)}\n`)
})
log(`single checks while scrubbing ${si(scrubRows)} rows`)
const scrub = spawn(process.execPath, [cli, 'scrub', '--campaign', 'mkt', '--in', scrubIn, '--out', join(dir, 'out.csv'), '--at', AT], { env, stdio: 'ignore' })
const beside = await load(singles, connections, 1)
const scrubExit = await new Promise<number | null>((r) => (scrub.exitCode !== null ? r(scrub.exitCode) : scrub.once('exit', r)))

child.kill('SIGTERM')
await new Promise((r) => child.once('exit', r))

const results = {
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, loadAfter: loadavg()[0] },
  setup: { registryNumbers: registrySize, consents: consentCount, seconds, connections, engine: 'sqlite' },
  startToReadyMs: readyMs,
  consentImport: { records: imported.stored, ms: importMs, perSecond: (imported.stored / importMs) * 1000 },
  singleCheck: single,
  batchOf1000: batch,
  singleCheckBesideScrub: { ...beside, scrubRows, scrubExit },
  targets: { singleRps: 20_000, singleP99Ms: 5, batchP99Ms: 25, batchNumbersPerSecond: 400_000, besideP99Ms: 10, readyMs: 2_000 },
}
mkdirSync(join(root, 'bench/results'), { recursive: true })
writeFileSync(join(root, 'bench/results/server.json'), `${JSON.stringify(results, null, 2)}\n`)
const row = (name: string, l: Load, target: string): string =>
  `| ${name} | ${si(l.requestsPerSecond)} req/s | ${si(l.numbersPerSecond)} numbers/s | ${l.latencyMs.p50} | ${l.latencyMs.p99} | ${l.errors + l.non2xx} | ${target} |`
process.stdout.write(
  [
    `| scenario | requests | numbers | p50 ms | p99 ms | errors | target |`,
    `|---|---|---|---|---|---|---|`,
    row('single check', single, '≥ 20 K req/s, p99 ≤ 5 ms'),
    row('batch of 1,000', batch, '≥ 400 K numbers/s, p99 ≤ 25 ms'),
    row('single check beside a scrub', beside, 'p99 ≤ 10 ms'),
    '',
    `start to ready: ${readyMs.toFixed(0)} ms with a ${si(registrySize)}-number registry (target ≤ 2 s with 50 M)`,
    `consent import: ${si(imported.stored)} records in ${(importMs / 1000).toFixed(1)} s (${si(results.consentImport.perSecond)}/s)`,
    '',
  ].join('\n'),
)
rmSync(dir, { recursive: true, force: true })
