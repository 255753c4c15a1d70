/**
 * Micro-benchmark: page lookup structures for the paged bitset (one 1,250-byte page per
 * NPA-NXX), and the shipped PagedBitset itself.
 *
 *   node --import tsx bench/paged-bitset.bench.ts [numbers=10000000] [probes=10000000]
 *
 * Data: a seeded xorshift generator draws `numbers` random NANP numbers over 330 area codes
 * (NXX 200–999, so up to 264,000 pages, about 330 MB of pages per structure) and `probes`
 * probes, a quarter of them taken from the list. Each variant is built, then probed in
 * 5 passes; the median pass is reported as lookups/s. Each variant runs in its own process
 * (so its `has` call site stays monomorphic); BENCH_ONLY=<name prefix> runs one in-process.
 * Not a test: nothing asserts times.
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { PagedBitset } from '../src/core/dnc/paged-bitset.js'

const PAGE_BYTES = 1250
const NUMBERS = Number(process.argv[2] ?? 10_000_000)
const PROBES = Number(process.argv[3] ?? 10_000_000)

let seed = 0x2545f491
function rnd(): number {
  seed ^= seed << 13
  seed ^= seed >>> 17
  seed ^= seed << 5
  return (seed >>> 0) / 4294967296
}

const npas: number[] = []
while (npas.length < 330) {
  const npa = 200 + Math.floor(rnd() * 800)
  if (!npas.includes(npa)) npas.push(npa)
}
function randomNumber(): number {
  const npa = npas[Math.floor(rnd() * npas.length)]!
  const nxx = 200 + Math.floor(rnd() * 800)
  return npa * 10_000_000 + nxx * 10_000 + Math.floor(rnd() * 10_000)
}

const list = new Float64Array(NUMBERS)
for (let i = 0; i < NUMBERS; i++) list[i] = randomNumber()
const probes = new Float64Array(PROBES)
for (let i = 0; i < PROBES; i++) probes[i] = i % 4 === 0 ? list[Math.floor(rnd() * NUMBERS)]! : randomNumber()

interface Variant {
  add(n: number): void
  has(n: number): boolean
}

/** Pages as views into 256-page slabs, so every variant pays the same page allocation. */
class Slabs {
  private slab = new Uint8Array(0)
  private used = 256
  next(): Uint8Array {
    if (this.used === 256) {
      this.slab = new Uint8Array(256 * PAGE_BYTES)
      this.used = 0
    }
    const off = this.used++ * PAGE_BYTES
    return this.slab.subarray(off, off + PAGE_BYTES)
  }
}

class MapPages implements Variant {
  private readonly pages = new Map<number, Uint8Array>()
  private readonly slabs = new Slabs()
  add(n: number): void {
    const p = Math.floor(n / 10000)
    const o = n - p * 10000
    let page = this.pages.get(p)
    if (page === undefined) this.pages.set(p, (page = this.slabs.next()))
    page[o >> 3]! |= 1 << (o & 7)
  }
  has(n: number): boolean {
    const p = Math.floor(n / 10000)
    const o = n - p * 10000
    const page = this.pages.get(p)
    return page !== undefined && (page[o >> 3]! & (1 << (o & 7))) !== 0
  }
}

class ArrayPages implements Variant {
  private readonly pages: Array<Uint8Array | null> = Array.from({ length: 1_000_000 }, () => null)
  private readonly slabs = new Slabs()
  add(n: number): void {
    const p = Math.floor(n / 10000)
    const o = n - p * 10000
    let page = this.pages[p]
    if (page == null) this.pages[p] = page = this.slabs.next()
    page[o >> 3]! |= 1 << (o & 7)
  }
  has(n: number): boolean {
    const p = Math.floor(n / 10000)
    const o = n - p * 10000
    const page = this.pages[p]
    return page != null && (page[o >> 3]! & (1 << (o & 7))) !== 0
  }
}

/** Int32Array index prefix → slot, all pages in one contiguous buffer grown by doubling. */
class IndexedPool implements Variant {
  private readonly index = new Int32Array(1_000_000).fill(-1)
  private pool = new Uint8Array(1024 * PAGE_BYTES)
  private count = 0
  add(n: number): void {
    const p = Math.floor(n / 10000)
    const o = n - p * 10000
    let slot = this.index[p]!
    if (slot < 0) {
      slot = this.count++
      if (this.count * PAGE_BYTES > this.pool.length) {
        const bigger = new Uint8Array(this.pool.length * 2)
        bigger.set(this.pool)
        this.pool = bigger
      }
      this.index[p] = slot
    }
    this.pool[slot * PAGE_BYTES + (o >> 3)]! |= 1 << (o & 7)
  }
  has(n: number): boolean {
    const p = Math.floor(n / 10000)
    const o = n - p * 10000
    const slot = this.index[p]!
    return slot >= 0 && (this.pool[slot * PAGE_BYTES + (o >> 3)]! & (1 << (o & 7))) !== 0
  }
}

/** Two levels: NPA (1,000 slots) → lazily allocated NXX array (1,000 slots) of pages. */
class TwoLevel implements Variant {
  private readonly top: Array<Array<Uint8Array | null> | null> = Array.from({ length: 1000 }, () => null)
  private readonly slabs = new Slabs()
  add(n: number): void {
    const p = Math.floor(n / 10000)
    const o = n - p * 10000
    const hi = Math.floor(p / 1000)
    let sub = this.top[hi]
    if (sub == null) this.top[hi] = sub = Array.from({ length: 1000 }, () => null)
    let page = sub[p - hi * 1000]
    if (page == null) sub[p - hi * 1000] = page = this.slabs.next()
    page[o >> 3]! |= 1 << (o & 7)
  }
  has(n: number): boolean {
    const p = Math.floor(n / 10000)
    const o = n - p * 10000
    const hi = Math.floor(p / 1000)
    const sub = this.top[hi]
    if (sub == null) return false
    const page = sub[p - hi * 1000]
    return page != null && (page[o >> 3]! & (1 << (o & 7))) !== 0
  }
}


/** Int16Array NPA → region slot; each active NPA gets a 1.25 MB region of 1,000 pages (NXX), preallocated. */
class NpaRegions implements Variant {
  private readonly npaSlot = new Int16Array(1000).fill(-1)
  private regions = 0
  private readonly pool = new Uint8Array(npas.length * 1_250_000)
  add(n: number): void {
    const npa = Math.floor(n / 10_000_000)
    const rest = n - npa * 10_000_000
    let slot = this.npaSlot[npa]!
    if (slot < 0) {
      slot = this.regions++
      this.npaSlot[npa] = slot
    }
    this.pool[slot * 1_250_000 + (rest >> 3)]! |= 1 << (rest & 7)
  }
  has(n: number): boolean {
    const npa = Math.floor(n / 10_000_000)
    const rest = n - npa * 10_000_000
    const slot = this.npaSlot[npa]!
    return slot >= 0 && (this.pool[slot * 1_250_000 + (rest >> 3)]! & (1 << (rest & 7))) !== 0
  }
}

/** Int16Array NPA → NPA slot, Int32Array (NPA slot, NXX) → page slot, one page pool. */
class TwoIndexPool implements Variant {
  private readonly npaSlot = new Int16Array(1000).fill(-1)
  private mid = new Int32Array(0)
  private npas = 0
  private pool = new Uint8Array(1024 * PAGE_BYTES)
  private count = 0
  add(n: number): void {
    const npa = Math.floor(n / 10_000_000)
    const rest = n - npa * 10_000_000
    const nxx = Math.floor(rest / 10000)
    const o = rest - nxx * 10000
    let s = this.npaSlot[npa]!
    if (s < 0) {
      s = this.npas++
      const m = new Int32Array(this.npas * 1000).fill(-1)
      m.set(this.mid)
      this.mid = m
      this.npaSlot[npa] = s
    }
    let slot = this.mid[s * 1000 + nxx]!
    if (slot < 0) {
      slot = this.count++
      if (this.count * PAGE_BYTES > this.pool.length) {
        const bigger = new Uint8Array(this.pool.length * 2)
        bigger.set(this.pool)
        this.pool = bigger
      }
      this.mid[s * 1000 + nxx] = slot
    }
    this.pool[slot * PAGE_BYTES + (o >> 3)]! |= 1 << (o & 7)
  }
  has(n: number): boolean {
    const npa = Math.floor(n / 10_000_000)
    const rest = n - npa * 10_000_000
    const s = this.npaSlot[npa]!
    if (s < 0) return false
    const nxx = Math.floor(rest / 10000)
    const o = rest - nxx * 10000
    const slot = this.mid[s * 1000 + nxx]!
    return slot >= 0 && (this.pool[slot * PAGE_BYTES + (o >> 3)]! & (1 << (o & 7))) !== 0
  }
}

/** Int32Array index prefix → slot; pages in slabs of 1,024 pages (1.28 MB), no regrowth copies. */
class IndexedSlabs implements Variant {
  private readonly index = new Int32Array(1_000_000).fill(-1)
  private readonly slabs: Uint8Array[] = []
  private count = 0
  add(n: number): void {
    const p = Math.floor(n / 10000)
    const o = n - p * 10000
    let slot = this.index[p]!
    if (slot < 0) {
      slot = this.count++
      if ((slot & 1023) === 0) this.slabs.push(new Uint8Array(1024 * PAGE_BYTES))
      this.index[p] = slot
    }
    this.slabs[slot >>> 10]![(slot & 1023) * PAGE_BYTES + (o >> 3)]! |= 1 << (o & 7)
  }
  has(n: number): boolean {
    const p = Math.floor(n / 10000)
    const o = n - p * 10000
    const slot = this.index[p]!
    return slot >= 0 && (this.slabs[slot >>> 10]![(slot & 1023) * PAGE_BYTES + (o >> 3)]! & (1 << (o & 7))) !== 0
  }
}

/** Int16Array NPA → NPA slot, Int32Array (NPA slot, NXX) → page slot, slabs of 1,024 pages. */
class TwoIndexSlabs implements Variant {
  private readonly npaSlot = new Int16Array(1000).fill(-1)
  private mid = new Int32Array(0)
  private npas = 0
  private readonly slabs: Uint8Array[] = []
  private count = 0
  add(n: number): void {
    const npa = Math.floor(n / 10_000_000)
    const rest = n - npa * 10_000_000
    const nxx = Math.floor(rest / 10000)
    const o = rest - nxx * 10000
    let s = this.npaSlot[npa]!
    if (s < 0) {
      s = this.npas++
      const m = new Int32Array(this.npas * 1000).fill(-1)
      m.set(this.mid)
      this.mid = m
      this.npaSlot[npa] = s
    }
    let slot = this.mid[s * 1000 + nxx]!
    if (slot < 0) {
      slot = this.count++
      if ((slot & 1023) === 0) this.slabs.push(new Uint8Array(1024 * PAGE_BYTES))
      this.mid[s * 1000 + nxx] = slot
    }
    this.slabs[slot >>> 10]![(slot & 1023) * PAGE_BYTES + (o >> 3)]! |= 1 << (o & 7)
  }
  has(n: number): boolean {
    const npa = Math.floor(n / 10_000_000)
    const rest = n - npa * 10_000_000
    const s = this.npaSlot[npa]!
    if (s < 0) return false
    const nxx = Math.floor(rest / 10000)
    const o = rest - nxx * 10000
    const slot = this.mid[s * 1000 + nxx]!
    return slot >= 0 && (this.slabs[slot >>> 10]![(slot & 1023) * PAGE_BYTES + (o >> 3)]! & (1 << (o & 7))) !== 0
  }
}

function measure(name: string, make: () => Variant): void {
  const t0 = performance.now()
  const set = make()
  for (let i = 0; i < list.length; i++) set.add(list[i]!)
  const buildMs = performance.now() - t0
  const passes: number[] = []
  let hits = 0
  for (let pass = 0; pass < 5; pass++) {
    hits = 0
    const t = performance.now()
    for (let i = 0; i < probes.length; i++) if (set.has(probes[i]!)) hits++
    passes.push(performance.now() - t)
  }
  passes.sort((a, b) => a - b)
  const ms = passes[2]!
  const rate = (probes.length / ms) * 1000
  console.log(
    `${name.padEnd(34)} build ${(buildMs / 1000).toFixed(2)} s   ${(rate / 1e6).toFixed(1)} M lookups/s ` +
      `(min–max ${((probes.length / passes[4]!) * 1000 / 1e6).toFixed(1)}–${((probes.length / passes[0]!) * 1000 / 1e6).toFixed(1)} M)   hits ${hits}`,
  )
}

const only = process.env['BENCH_ONLY']
if (only === undefined) console.log(`${NUMBERS} numbers over ${npas.length} NPAs, ${PROBES} probes (node ${process.version})`)
const variants: Array<[string, () => Variant]> = [
  ['Map<prefix, page>', () => new MapPages()],
  ['Array(1e6) of pages', () => new ArrayPages()],
  ['Int32Array index + one pool', () => new IndexedPool()],
  ['two-level NPA → NXX arrays', () => new TwoLevel()],
  ['NPA regions (Int16 index, 1.25 MB/NPA)', () => new NpaRegions()],
  ['Int16 NPA + Int32 NXX index + pool', () => new TwoIndexPool()],
  ['Int32Array index + slabs', () => new IndexedSlabs()],
  ['Int16 NPA + Int32 NXX index + slabs', () => new TwoIndexSlabs()],
  ['PagedBitset (shipped)', () => new PagedBitset()],
]
for (const [name, make] of variants) {
  if (only === undefined) {
    const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), String(NUMBERS), String(PROBES)], {
      env: { ...process.env, BENCH_ONLY: name },
      encoding: 'utf8',
    })
    process.stdout.write(out)
  } else if (name.startsWith(only)) {
    measure(name, make)
  }
}
