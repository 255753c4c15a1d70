/**
 * Phone normalization on mixed spellings: `normalizePhone` (the full normalizer, which tries the
 * NANP fast path first), `nanpDigitsToE164Fast` alone, and the peer, libphonenumber-js
 * `parsePhoneNumber(s, 'US').number` (default "min" metadata) on the same strings.
 *
 *   node --import tsx bench/normalize.bench.ts
 *
 * Input: `BENCH_PHONES` seeded US numbers in the 8 spellings of bench/lib/data.ts
 * (`3052001234`, `(305) 200-1234`, `+1 305 200 1234`, `1-305-…`, …). Each method runs
 * `BENCH_ROUNDS` passes after a warm-up pass; the median pass is reported. The results of the
 * three methods are cross-checked (same E.164 on every string). Not a test.
 */
import { parsePhoneNumber } from 'libphonenumber-js'
import { createRequire } from 'node:module'
import { normalizePhone } from '../src/core/phone/normalize.js'
import { nanpDigitsToE164Fast } from '../src/core/phone/nanp.js'
import { emit, envInt, log, rates, rng } from './lib/common.js'
import { FORMATS, geographicNpas, randomNumber } from './lib/data.js'

const N = envInt('BENCH_PHONES', 200_000)
const ROUNDS = envInt('BENCH_ROUNDS', 5)
const rnd = rng(envInt('BENCH_SEED', 20261201))
const npas = geographicNpas('US')
const inputs: string[] = Array.from({ length: N }, (_, i) => FORMATS[i % FORMATS.length]!(String(randomNumber(npas, rnd))))

function time(fn: () => number, n: number, rounds: number): ReturnType<typeof rates> & { check: number } {
  let check = fn()
  const ms: number[] = []
  for (let k = 0; k < rounds; k++) {
    const t = performance.now()
    check = fn()
    ms.push(performance.now() - t)
  }
  return { ...rates(ms, n), check }
}

// The loops fold a cheap function of each result into a checksum so nothing is optimized away.
const full = time(() => {
  let c = 0
  for (let i = 0; i < N; i++) {
    const r = normalizePhone(inputs[i]!)
    if (r.ok) c += r.phone.e164.length
  }
  return c
}, N, ROUNDS)
log(`normalizePhone: ${Math.round(full.median).toLocaleString('en-US')}/s`)

const fast = time(() => {
  let c = 0
  for (let i = 0; i < N; i++) c += nanpDigitsToE164Fast(inputs[i]!) % 97
  return c
}, N, ROUNDS)
log(`nanpDigitsToE164Fast: ${Math.round(fast.median).toLocaleString('en-US')}/s`)

// The peer is slower: fewer strings per pass keep the run short; rates are per string.
const PEER_N = Math.min(N, 50_000)
const peer = time(() => {
  let c = 0
  for (let i = 0; i < PEER_N; i++) c += parsePhoneNumber(inputs[i]!, 'US').number.length
  return c
}, PEER_N, ROUNDS)
log(`libphonenumber-js parsePhoneNumber: ${Math.round(peer.median).toLocaleString('en-US')}/s`)

let mismatches = 0
for (let i = 0; i < PEER_N; i++) {
  const r = normalizePhone(inputs[i]!)
  const f = nanpDigitsToE164Fast(inputs[i]!)
  const p = parsePhoneNumber(inputs[i]!, 'US').number
  if (!r.ok || r.phone.e164 !== p || `+1${f}` !== p) mismatches++
}
const version = (createRequire(import.meta.url)('libphonenumber-js/package.json') as { version: string }).version
emit({
  config: { phones: N, peerPhones: PEER_N, rounds: ROUNDS, formats: FORMATS.length, libphonenumber: version },
  normalizePhone: full,
  fastPath: fast,
  peer,
  mismatches,
})
