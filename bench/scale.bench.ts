/**
 * Issue 9 at scale, through the CLI, one process per command, on SQLite in a temporary data
 * directory, with seeded data generated here:
 *
 * - a registry of BENCH_SCALE_REGISTRY (default 50 M) numbers over BENCH_SCALE_NPAS (default 330) US area
 *   codes, one 10-digit number a line, imported with `--full` (BENCH_IMPORT_RUNS, default 3, each into a
 *   fresh copy of the data directory; the median is reported): time, numbers/s, peak RSS, bytes
 *   a number on disk, and (in this process) the time to load it for a scrub and its bytes a number
 *   in memory;
 * - a BENCH_SCALE_ROWS-row (default 10 M) one-column file and a five-column lead CSV of as many rows
 *   (`id,name,email,phone,zip`; names with commas quoted, eight phone spellings, some quoted,
 *   0.5 % junk) over the same numbers: about 25 % drawn from the registry, 1 % repeats;
 * - consent (written, on numbers not on the registry, so no listing is hidden) and internal
 *   do-not-call records (BENCH_CONSENTS, BENCH_DNC), written through the services;
 * - cold start: `scrub` of a one-row file with the registry loaded;
 * - `scrub` of both files (BENCH_RUNS runs each): wall time, rows/s, peak RSS;
 * - the same answer (the distinct listed numbers) from `LC_ALL=C sort -u` + `comm -12` and from a
 *   SQLite join (`sqlite3`: load both lists, index, join), checked to agree with the scrub's; and
 *   `wc -l` on each file as the I/O floor.
 *
 * Not a test: nothing asserts times. BENCH_KEEP=1 keeps the data directory.
 */
import { closeSync, cpSync, createReadStream, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { emit, envInt, log, measure, rng, stat, type Measured } from './lib/common.js'
import { FORMATS, geographicNpas, pickNpas, randomNumber } from './lib/data.js'
import { loadConfig } from '../src/app/config.js'
import { compose } from '../src/app/compose.js'
import { requestContext } from '../src/app/context.js'
import { requirePhone } from '../src/app/input.js'
import { RegistrySnapshot } from '../src/app/indexes/registry-snapshot.js'
import { PagedBitset } from '../src/core/dnc/paged-bitset.js'
import { AreaBitmaps } from '../src/core/dnc/area-bitmaps.js'
import { DAY, formatInstant } from '../src/core/time/instant.js'

const REGISTRY = envInt('BENCH_SCALE_REGISTRY', 50_000_000)
const NPAS = envInt('BENCH_SCALE_NPAS', 330)
const ROWS = envInt('BENCH_SCALE_ROWS', 10_000_000)
const RUNS = envInt('BENCH_RUNS', 3)
const PEER_RUNS = envInt('BENCH_PEER_RUNS', 1)
const IMPORT_RUNS = Math.max(1, envInt('BENCH_IMPORT_RUNS', 3))
const CONSENTS = envInt('BENCH_CONSENTS', 2_000)
const DNC = envInt('BENCH_DNC', 500)
const SEED = envInt('BENCH_SEED', 20261201)
const KEEP = process.env['BENCH_KEEP'] === '1'
const cli = resolve(process.env['BENCH_CLI'] ?? 'dist/cli/main.js')

// dates relative to today (an as-of date may not be in the future): the registry is 3 days old,
// the calls are today at 17:00 UTC (noon in New York, 07:00 in Honolulu: some rows are CALLING_HOURS)
const today = Math.floor(Date.now() / DAY) * DAY
const AS_OF = formatInstant(today - 3 * DAY).slice(0, 10)
const AT = formatInstant(today + 17 * 3_600_000)

const rnd = rng(SEED)
const dir = mkdtempSync(join(tmpdir(), 'dialward-bench-scale-'))
const data = join(dir, 'data')
const env = { ...process.env, DIALWARD_DATA: data, DIALWARD_DATABASE_URL: '', DIALWARD_ACTOR: 'bench' }
const dw = (args: string[]): Measured => measure(process.execPath, [cli, ...args], { env })

/** Writes lines made of bytes through one 16 MiB buffer. */
class Writer {
  readonly #fd: number
  readonly #buf = Buffer.allocUnsafe(16 << 20)
  #o = 0
  constructor(path: string) {
    this.#fd = openSync(path, 'w')
  }
  room(n: number): void {
    if (this.#o + n > this.#buf.length) this.flush()
  }
  ascii(s: string): void {
    this.room(s.length)
    this.#o += this.#buf.write(s, this.#o, 'latin1')
  }
  /** A 10-digit number, without a string. */
  ten(v: number): void {
    this.room(10)
    const b = this.#buf
    let hi = Math.floor(v / 100_000)
    let lo = v - hi * 100_000
    for (let k = 4; k >= 0; k--) {
      b[this.#o + k] = 48 + (hi % 10)
      hi = Math.floor(hi / 10)
      b[this.#o + 5 + k] = 48 + (lo % 10)
      lo = Math.floor(lo / 10)
    }
    this.#o += 10
  }
  byte(c: number): void {
    this.room(1)
    this.#buf[this.#o++] = c
  }
  flush(): void {
    let off = 0
    while (off < this.#o) off += writeSync(this.#fd, this.#buf, off, this.#o - off)
    this.#o = 0
  }
  close(): void {
    this.flush()
    closeSync(this.#fd)
  }
}

// ---- data
const npas = pickNpas(geographicNpas('US'), NPAS, rnd, [305, 212, 808])
log(`generating a registry of ${REGISTRY} numbers over ${npas.length} area codes, ${ROWS}-row inputs, in ${dir}`)
const registryPath = join(dir, 'registry.txt')
const sample = new Float64Array(Math.min(REGISTRY, 4_000_000))
/** Every registry number (consents go only to numbers it does not list, so no listing is hidden by an exemption). */
const onRegistry = new AreaBitmaps()
{
  const w = new Writer(registryPath)
  const every = Math.max(1, Math.floor(REGISTRY / sample.length))
  for (let i = 0; i < REGISTRY; i++) {
    const n = randomNumber(npas, rnd)
    if (i % every === 0 && i / every < sample.length) sample[i / every] = n
    onRegistry.add(n)
    w.ten(n)
    w.byte(10)
  }
  w.close()
}
const numbers = new Float64Array(ROWS)
const junk = new Uint8Array(ROWS)
for (let i = 0; i < ROWS; i++) {
  const r = rnd()
  if (r < 0.005) junk[i] = 1
  else if (r < 0.015 && i > 0) numbers[i] = numbers[Math.floor(rnd() * i)] || randomNumber(npas, rnd)
  else if (r < 0.26) numbers[i] = sample[Math.floor(rnd() * sample.length)]!
  else numbers[i] = randomNumber(npas, rnd)
  if (junk[i] === 0 && numbers[i] === 0) numbers[i] = randomNumber(npas, rnd)
}
const onePath = join(dir, 'one-column.csv')
const fivePath = join(dir, 'leads.csv')
const numbersPath = join(dir, 'input-numbers.txt')
{
  const one = new Writer(onePath)
  const five = new Writer(fivePath)
  const nums = new Writer(numbersPath)
  one.ascii('phone\n')
  five.ascii('id,name,email,phone,zip\n')
  const last = ['Smith', 'Garcia', 'Nguyen', 'Okafor', 'Kowalski', 'Haddad', 'Silva', 'Chen']
  const first = ['Ann', 'Bob', 'Cy', 'Di', 'Ed', 'Fay', 'Gus', 'Hal']
  for (let i = 0; i < ROWS; i++) {
    const name = i % 5 === 0 ? `"${last[i % 8]}, ${first[(i >> 3) % 8]}"` : `${first[i % 8]} ${last[(i >> 3) % 8]}`
    five.ascii(`${i + 1},${name},person${i + 1}@example.com,`)
    if (junk[i] === 1) {
      one.ascii('n/a\n')
      five.ascii('n/a')
    } else {
      const n = numbers[i]!
      one.ten(n)
      one.byte(10)
      nums.ten(n)
      nums.byte(10)
      const spelled = FORMATS[i % FORMATS.length]!(String(n))
      five.ascii(i % 10 === 3 ? `"${spelled}"` : spelled)
    }
    five.ascii(`,${String(10_000 + (i % 89_999)).padStart(5, '0')}\n`)
  }
  one.close()
  five.close()
  nums.close()
}
const sizes = { registry: statSync(registryPath).size, one: statSync(onePath).size, five: statSync(fivePath).size }
log(`data: registry ${(sizes.registry / 1e6).toFixed(0)} MB, one-column ${(sizes.one / 1e6).toFixed(0)} MB, leads ${(sizes.five / 1e6).toFixed(0)} MB`)

// ---- setup: campaign, consent and do-not-call records
dw(['init'])
dw(['campaign', 'add', '--id', 'bench', '--seller', 'Bench Co', '--purpose', 'marketing', '--dialing', 'manual'])
{
  log(`recording ${CONSENTS} consents and ${DNC} do-not-call requests through the services…`)
  const services = await compose(loadConfig({ data }, { ...process.env, DIALWARD_DATABASE_URL: '', DIALWARD_RULE_PACK: '' }), 'existing')
  const ctx = requestContext('bench', 'admin')
  let c = 0
  for (let i = 7; c < CONSENTS && i < ROWS; i += 997) {
    if (junk[i] === 1 || onRegistry.has(numbers[i]!)) continue
    await services.consent.grant(ctx, { phone: requirePhone('phone', String(numbers[i])), seller: 'Bench Co', kind: 'written', channel: 'any', at: today - 30 * DAY, disclosure: null, source: null, ip: null, userAgent: null })
    c++
  }
  for (let k = 0, i = 11; k < DNC && i < ROWS; i += 1_999) {
    if (junk[i] === 1) continue
    await services.dnc.add(ctx, { phone: requirePhone('phone', String(numbers[i])), at: today - 10 * DAY, seller: null, source: null })
    k++
  }
  await services.close()
}

// ---- import
log('registry import…')
const dbPath = join(data, 'dialward.db')
const dbBefore = statSync(dbPath).size
// IMPORT_RUNS imports of the same file, each into a fresh copy of the data directory as it was
// before the import (a second import into the same directory compares with the version in force:
// other work); the last one is the directory the scrubs read.
const importArgs = ['registry', 'import', '--registry', 'us-national', '--file', registryPath, '--as-of', AS_OF, '--full', '--json']
const importRuns: Measured[] = []
for (let r = 1; r <= IMPORT_RUNS; r++) {
  const target = r === IMPORT_RUNS ? data : join(dir, `data-import-${r}`)
  if (target !== data) cpSync(data, target, { recursive: true })
  log(`registry import run ${r}/${IMPORT_RUNS}…`)
  importRuns.push(measure(process.execPath, [cli, ...importArgs], { env: { ...env, DIALWARD_DATA: target } }))
  if (target !== data) rmSync(target, { recursive: true, force: true })
}
const imp = importRuns.at(-1)!
const imported = JSON.parse(imp.stdout) as { numbers: number; lines: number; duplicates: number }
const dbAfter = statSync(dbPath).size

// in this process: the time to load the registry for a scrub, and its size in memory
let load = { ms: 0, bytes: 0, numbers: 0 }
{
  const services = await compose(loadConfig({ data }, { ...process.env, DIALWARD_DATABASE_URL: '', DIALWARD_RULE_PACK: '' }), 'existing')
  const versions = await services.infra.repos.registries.versions(services.infra.store.db)
  const loads: number[] = []
  let snap: RegistrySnapshot | null = null
  for (let r = 0; r < 3; r++) {
    const t = performance.now()
    snap = await RegistrySnapshot.load(services.infra.repos.registries, services.infra.store.db, versions, Date.parse(AT), true)
    loads.push(performance.now() - t)
  }
  load = { ms: stat(loads).median, bytes: snap!.bytes, numbers: snap!.numbers }
  await services.close()
}

// ---- cold start and scrubs
const tiny = join(dir, 'one-row.csv')
writeFileSync(tiny, `phone\n${numbers[0]}\n`)
log('cold start (a one-row scrub with the registry loaded)…')
const cold: Measured[] = []
for (let r = 0; r < RUNS; r++) cold.push(dw(['scrub', '--campaign', 'bench', '--in', tiny, '--out', join(dir, 'one-row.out'), '--at', AT]))
const version: number[] = []
for (let r = 0; r < RUNS; r++) version.push(measure(process.execPath, [cli, '--version']).ms)

/** Rows of an output that hold NATIONAL_DNC, and their distinct numbers (`set`: the numbers themselves). */
async function listedOf(path: string): Promise<{ rows: number; distinct: number; total: number; set: PagedBitset }> {
  const seen = new PagedBitset()
  let rows = 0
  let total = -1
  let carry = ''
  for await (const chunk of createReadStream(path, { encoding: 'latin1', highWaterMark: 4 << 20 })) {
    const text = carry + (chunk as string)
    let start = 0
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const line = text.slice(start, nl)
      start = nl + 1
      total++
      if (!line.includes('NATIONAL_DNC')) continue
      rows++
      // the dialward_phone column: the last `,+1…` of the line (it follows every input column)
      const p = line.lastIndexOf(',+1')
      seen.add(Number(line.slice(p + 3, p + 13)))
    }
    carry = text.slice(start)
  }
  return { rows, distinct: seen.size, total, set: seen }
}

/** Numbers of a file of one 10-digit number a line. */
async function numbersOf(path: string): Promise<PagedBitset> {
  const set = new PagedBitset()
  let carry = ''
  for await (const chunk of createReadStream(path, { encoding: 'latin1', highWaterMark: 4 << 20 })) {
    const lines = (carry + (chunk as string)).split('\n')
    carry = lines.pop()!
    for (const l of lines) if (l.length === 10) set.add(Number(l))
  }
  return set
}

/** Numbers in `a` and not in `b`. */
function missing(a: PagedBitset, b: PagedBitset): number {
  let n = 0
  for (const prefix of a.prefixes()) {
    const pa = a.page(prefix)!
    const pb = b.page(prefix)
    for (let j = 0; j < pa.length; j++) {
      let x = pa[j]! & ~(pb?.[j] ?? 0)
      while (x !== 0) {
        x &= x - 1
        n++
      }
    }
  }
  return n
}

const scrubs: Record<string, { runs: Measured[]; summary: Record<string, unknown>; listed: { rows: number; distinct: number; total: number; set: PagedBitset } }> = {}
for (const [name, path] of [
  ['one-column', onePath],
  ['leads', fivePath],
] as const) {
  const runs: Measured[] = []
  let summary: Record<string, unknown> = {}
  const out = join(dir, `${name}.out.csv`)
  for (let r = 0; r < RUNS; r++) {
    log(`scrub ${name} run ${r + 1}/${RUNS}…`)
    const m = dw(['scrub', '--campaign', 'bench', '--in', path, '--out', out, '--at', AT, '--json'])
    runs.push(m)
    summary = JSON.parse(m.stdout) as Record<string, unknown>
  }
  scrubs[name] = { runs, summary, listed: await listedOf(out) }
  if (!KEEP) rmSync(out, { force: true })
}

// ---- the machine's floor and the peers
const C = { ...process.env, LC_ALL: 'C' }
const wc = { one: stat([0, 1, 2].map(() => measure('wc', ['-l', onePath]).ms)), five: stat([0, 1, 2].map(() => measure('wc', ['-l', fivePath]).ms)) }
log('peer: LC_ALL=C sort -u + comm -12…')
const peer = { sortRegistry: [] as number[], sortInput: [] as number[], comm: [] as number[], peakRss: 0, listed: 0 }
for (let r = 0; r < PEER_RUNS; r++) {
  const a = measure('sort', ['-u', '-o', join(dir, 'reg.sorted'), registryPath], { env: C })
  const b = measure('sort', ['-u', '-o', join(dir, 'in.sorted'), numbersPath], { env: C })
  const c = measure('sh', ['-c', `comm -12 '${join(dir, 'in.sorted')}' '${join(dir, 'reg.sorted')}' | tee '${join(dir, 'listed.txt')}' | wc -l`], { env: C })
  peer.sortRegistry.push(a.ms)
  peer.sortInput.push(b.ms)
  peer.comm.push(c.ms)
  peer.peakRss = Math.max(peer.peakRss, a.peakRss ?? 0, b.peakRss ?? 0)
  peer.listed = Number(c.stdout.trim())
}
log('peer: SQLite join (sqlite3: load, index, join)…')
const sqliteRuns: number[] = []
let sqliteListed = -1
let sqliteRss = 0
for (let r = 0; r < PEER_RUNS; r++) {
  const db = join(dir, `peer-${r}.db`)
  const script = [
    'PRAGMA journal_mode=OFF;',
    'PRAGMA synchronous=OFF;',
    'PRAGMA cache_size=-262144;',
    'CREATE TABLE reg(n INTEGER);',
    'CREATE TABLE input(n INTEGER);',
    `.import '${registryPath}' reg`,
    `.import '${numbersPath}' input`,
    'CREATE INDEX reg_n ON reg(n);',
    'SELECT count(DISTINCT input.n) FROM input JOIN reg ON reg.n = input.n;',
  ].join('\n')
  writeFileSync(join(dir, 'peer.sql'), script)
  const m = measure('sh', ['-c', `sqlite3 '${db}' < '${join(dir, 'peer.sql')}'`])
  sqliteRuns.push(m.ms)
  sqliteRss = Math.max(sqliteRss, m.peakRss ?? 0)
  sqliteListed = Number(m.stdout.trim().split('\n').pop())
  rmSync(db, { force: true })
}

// the exact sets, not only their sizes: listed numbers the scrub missed, and numbers it listed that are not
const peerSet = await numbersOf(join(dir, 'listed.txt'))
const diff = Object.fromEntries(Object.entries(scrubs).map(([name, s]) => [name, { missed: missing(peerSet, s.listed.set), extra: missing(s.listed.set, peerSet) }]))

if (!KEEP) rmSync(dir, { recursive: true, force: true })
else log(`kept ${dir}`)

const peerCold = peer.sortRegistry.map((t, i) => t + peer.sortInput[i]! + peer.comm[i]!)
emit({
  config: { registry: REGISTRY, npas: npas.length, rows: ROWS, runs: RUNS, importRuns: IMPORT_RUNS, peerRuns: PEER_RUNS, consents: CONSENTS, dnc: DNC, seed: SEED, asOf: AS_OF, at: AT, sizes },
  import: { ms: stat(importRuns.map((m) => m.ms)).median, runs: importRuns.map((m) => m.ms), peakRss: Math.max(...importRuns.map((m) => m.peakRss ?? 0)), numbers: imported.numbers, lines: imported.lines, duplicates: imported.duplicates, dbBytes: dbAfter - dbBefore },
  load,
  cold: { ms: stat(cold.map((c) => c.ms)), peakRss: stat(cold.map((c) => c.peakRss ?? 0)), versionMs: stat(version) },
  scrub: Object.fromEntries(
    Object.entries(scrubs).map(([name, s]) => [name, { ms: stat(s.runs.map((m) => m.ms)), peakRss: stat(s.runs.map((m) => m.peakRss ?? 0)), summary: s.summary, listed: { rows: s.listed.rows, distinct: s.listed.distinct, total: s.listed.total, ...diff[name]! } }]),
  ),
  wc,
  peer: { sortRegistryMs: stat(peer.sortRegistry), sortInputMs: stat(peer.sortInput), commMs: stat(peer.comm), coldMs: stat(peerCold), peakRss: peer.peakRss, listed: peer.listed },
  sqlite: { ms: stat(sqliteRuns), peakRss: sqliteRss, listed: sqliteListed },
  agree: {
    oneColumn: diff['one-column']!.missed === 0 && diff['one-column']!.extra === 0 && peer.listed === sqliteListed,
    leads: diff['leads']!.missed === 0 && diff['leads']!.extra === 0,
  },
})
