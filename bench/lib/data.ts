/**
 * Seeded synthetic data: registry numbers at FTC density, phone numbers in the spellings a
 * dialer list holds, and scrub input CSVs. Only real geographic NANP area codes are used, so
 * every valid number takes the NANP fast path and has real places.
 */
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { NANP_NPAS } from '../../src/core/phone/nanp-table.generated.js'

/** Numbers per NPA with NXX 200–999 (the 8 M usable numbers of an area code). */
export const NPA_SPACE = 8_000_000
/** FTC density: about 258.5 M registrations over about 330 area codes ≈ 9 % of 8 M. */
export const REGISTRY_DENSITY = 0.09

/** Geographic area codes of a country, ascending. */
export function geographicNpas(country: 'US' | 'CA'): number[] {
  return NANP_NPAS.filter((r) => r[1] === country).map((r) => r[0]).sort((a, b) => a - b)
}

/** `count` distinct NPAs picked from `pool` with `rnd`, `first` (if given) leading. */
export function pickNpas(pool: readonly number[], count: number, rnd: () => number, first: readonly number[] = []): number[] {
  const out = first.filter((n) => pool.includes(n)).slice(0, count)
  while (out.length < Math.min(count, pool.length)) {
    const npa = pool[Math.floor(rnd() * pool.length)]!
    if (!out.includes(npa)) out.push(npa)
  }
  return out
}

/** A random valid 10-digit NANP number in one of `npas` (NXX 200–999, not N11). */
export function randomNumber(npas: readonly number[], rnd: () => number): number {
  const npa = npas[Math.floor(rnd() * npas.length)]!
  let nxx = 200 + Math.floor(rnd() * 800)
  if (nxx % 100 === 11) nxx++
  return npa * 10_000_000 + nxx * 10_000 + Math.floor(rnd() * 10_000)
}

/** How many NPAs `n` registry numbers fill at FTC density (at least 1). */
export function npasForDensity(n: number): number {
  return Math.max(1, Math.ceil(n / (NPA_SPACE * REGISTRY_DENSITY)))
}

/** The 8 spellings of a 10-digit number used by the normalization and scrub benchmarks. */
export const FORMATS: readonly ((d: string) => string)[] = [
  (d) => d,
  (d) => `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`,
  (d) => `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`,
  (d) => `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6)}`,
  (d) => `+1 ${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}`,
  (d) => `1-${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`,
  (d) => `+1${d}`,
  (d) => `1 (${d.slice(0, 3)}) ${d.slice(3, 6)} ${d.slice(6)}`,
]

/** Writes text produced in pieces to a file without holding it all in memory. */
export async function writeLines(path: string, produce: (push: (s: string) => void) => void): Promise<void> {
  const out = createWriteStream(path)
  let buf = ''
  const pending: string[] = []
  produce((s) => {
    buf += s
    if (buf.length >= 1 << 20) {
      pending.push(buf)
      buf = ''
    }
  })
  if (buf !== '') pending.push(buf)
  for (const chunk of pending) if (!out.write(chunk)) await once(out, 'drain')
  out.end()
  await once(out, 'finish')
}
