/**
 * Shared helpers of the benchmark suite: a seeded generator, statistics, formatting, and child
 * processes measured with `/usr/bin/time` (GNU time) for peak RSS. Public tools only.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** xorshift32, seeded: the same sizes and seed give the same data on every machine. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 0x2545f491
  return () => {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    return (s >>> 0) / 4294967296
  }
}

/** An integer environment variable, or the default. */
export function envInt(name: string, fallback: number): number {
  const v = process.env[name]
  if (v === undefined || v === '') return fallback
  const n = Number(v.replace(/_/g, ''))
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${v}`)
  return Math.floor(n)
}

/** Median and range of a sample. */
export interface Stat {
  readonly median: number
  readonly min: number
  readonly max: number
  readonly n: number
}

export function stat(xs: readonly number[]): Stat {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  const median = s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
  return { median, min: s[0]!, max: s[s.length - 1]!, n: s.length }
}

/** Rates (per second) from durations in ms for `count` items: min rate comes from the max time. */
export function rates(ms: readonly number[], count: number): Stat {
  return stat(ms.map((t) => (count / t) * 1000))
}

/** `1.23 M`, `456 K`, `789`. */
export function si(x: number): string {
  const a = Math.abs(x)
  if (a >= 1e9) return `${(x / 1e9).toFixed(2)} G`
  if (a >= 1e6) return `${(x / 1e6).toFixed(a >= 1e8 ? 0 : a >= 1e7 ? 1 : 2)} M`
  if (a >= 1e3) return `${(x / 1e3).toFixed(a >= 1e5 ? 0 : a >= 1e4 ? 1 : 2)} K`
  return a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : x.toFixed(2)
}

/** `median (min–max)` with SI units. */
export function range(s: Stat, unit = ''): string {
  return `${si(s.median)}${unit} (${si(s.min)}–${si(s.max)})`
}

/** `median (min–max)` of milliseconds, in ms or s. */
export function msRange(s: Stat): string {
  const f = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(2)} ms`)
  return `${f(s.median)} (${f(s.min)}–${f(s.max)})`
}

export const GNU_TIME = '/usr/bin/time'

/** What a measured child process did. */
export interface Measured {
  /** Wall time in ms (hrtime around the spawn, so it includes process start-up). */
  readonly ms: number
  /** Peak resident set in bytes (GNU time `%M`), or null when GNU time is not installed. */
  readonly peakRss: number | null
  readonly stdout: string
  readonly stderr: string
  readonly status: number | null
}

/**
 * Runs a command and measures wall time and (through `/usr/bin/time -f %M`) peak RSS. Throws on
 * a non-zero exit status unless `allowFail`. `stdoutFile` redirects stdout through a shell-free
 * file descriptor (for sort/comm outputs).
 */
export function measure(cmd: string, args: readonly string[], opts: SpawnSyncOptions & { allowFail?: boolean } = {}): Measured {
  const useTime = existsSync(GNU_TIME)
  const rssFile = join(tmpdir(), `dialward-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`)
  const argv = useTime ? ['-f', '%M', '-o', rssFile, cmd, ...args] : [...args]
  const t0 = process.hrtime.bigint()
  const r = spawnSync(useTime ? GNU_TIME : cmd, argv, { maxBuffer: 1 << 28, encoding: 'utf8', ...opts })
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  let peakRss: number | null = null
  if (useTime && existsSync(rssFile)) {
    const kb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop())
    if (Number.isFinite(kb)) peakRss = kb * 1024
    rmSync(rssFile, { force: true })
  }
  const out: Measured = { ms, peakRss, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), status: r.status }
  if (!opts.allowFail && (r.error || r.status !== 0)) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.error?.message ?? `status ${r.status}`}): ${out.stderr.slice(0, 2000)}`)
  }
  return out
}

/** Writes a section's JSON result where the runner asked for it (BENCH_OUT), or prints it. */
export function emit(result: unknown): void {
  const path = process.env['BENCH_OUT']
  const json = JSON.stringify(result, null, 2)
  if (path) writeFileSync(path, json)
  else process.stdout.write(`${json}\n`)
}

/** A progress line on stderr (the runner shows it; results go to BENCH_OUT). */
export function log(msg: string): void {
  process.stderr.write(`  ${msg}\n`)
}
