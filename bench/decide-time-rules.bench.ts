/**
 * Throughput of the time rules' `evaluate` (calling window, restricted day, frequency cap,
 * emergency, abandonment) on realistic place sets, offsets cached per zone and hour.
 * Run: node --import tsx bench/decide-time-rules.bench.ts
 */
import { HOUR } from '../src/core/time/instant.js'
import { DEFAULT_PACK } from '../src/core/rules/default-pack.js'
import { nextAllowedByTimeRules } from '../src/core/rules/next-allowed.js'
import { call, makeFacts, place } from '../src/core/rules/test-facts.js'
import { timeRules } from '../src/core/rules/time-rules.js'

const rules = timeRules(DEFAULT_PACK)
const base = Date.parse('2026-06-01T00:00:00Z')
const sets = [
  makeFacts([place('US', 'FL', 'America/New_York', 'America/Chicago'), place('US', 'FL', 'America/New_York')], {
    calls: [call(base - 3 * HOUR), call(base - 20 * HOUR)],
  }),
  makeFacts([place('US', 'AL', 'America/Chicago')]),
  makeFacts([place('US', 'RI', 'America/New_York')], { abandonment: { liveAnswered: 1000, abandoned: 12 } }),
  makeFacts([place('CA', 'NL', 'America/St_Johns')]),
  makeFacts([place('US', 'KY', 'America/New_York', 'America/Chicago'), place('US', 'TN', 'America/Chicago')]),
]
// Instants spread over 60 days, minute resolution: the offset cache warms to ~1,440 hours per zone.
const N = 1 << 16
const instants = Array.from({ length: N }, (_, i) => base + ((i * 7919) % (60 * 24 * 60)) * 60_000)

function run(iterations: number): number {
  let blocked = 0
  for (let i = 0; i < iterations; i++) {
    const facts = sets[i % sets.length]!
    const at = instants[i & (N - 1)]!
    for (const r of rules) blocked += r.evaluate(facts, at).length
  }
  return blocked
}

run(200_000) // warm up caches and JIT
const rounds: number[] = []
for (let k = 0; k < 5; k++) {
  const n = 1_000_000
  const t0 = process.hrtime.bigint()
  run(n)
  const s = Number(process.hrtime.bigint() - t0) / 1e9
  rounds.push(n / s)
}
rounds.sort((a, b) => a - b)
const median = rounds[2]!
process.stdout.write(`time rules evaluate (all ${rules.length} rules, ${sets.length} place sets): median ${Math.round(median).toLocaleString('en-US')} evaluations/s (min ${Math.round(rounds[0]!).toLocaleString('en-US')}, max ${Math.round(rounds[4]!).toLocaleString('en-US')})\n`)

let m = 0
const t1 = process.hrtime.bigint()
for (let i = 0; i < 50_000; i++) {
  const facts = sets[i % sets.length]!
  if (nextAllowedByTimeRules(rules, facts, instants[i & (N - 1)]!) !== null) m++
}
const s1 = Number(process.hrtime.bigint() - t1) / 1e9
process.stdout.write(`nextAllowedByTimeRules (evaluate + clearsAt loop): ${Math.round(50_000 / s1).toLocaleString('en-US')} searches/s\n`)
process.stdout.write(`tz ${process.versions.tz}, pack ${DEFAULT_PACK.version}\n`)
