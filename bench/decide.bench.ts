/**
 * In-process gate throughput: `decide()` with every gate rule (the standing rules plus the time
 * rules compiled from the default pack, in the order `gateRules` uses), on facts built once per
 * number the way `GateSession` builds them (normalized phone, candidate places, registry facts).
 *
 *   node --import tsx bench/decide.bench.ts
 *
 * Place sets: one zone (305, FL), a split area code (850, FL: Eastern and Central), Canada
 * (416, ON), and a mix of 60 area codes. For each, numbers carry a seeded mix of records (60 %
 * written consent, 10 % on the national registry, 5 % an internal do-not-call request, the rest
 * nothing) and are decided at instants spread over a week (minute resolution), so a share of
 * decisions is blocked by the calling window and runs the next-allowed search inside `decide()`.
 * Also: `nextAllowedAt` alone at instants blocked by time only (02:00–06:00 local), and the time
 * rules' `evaluate` alone, allowed decisions alone (consented, inside every window) and each
 * rule's `evaluate` alone. Median of `BENCH_ROUNDS` rounds after a warm-up. Not a test.
 */
import { decide, nextAllowedAt } from '../src/core/gate/decide.js'
import type { DecisionFacts, RegistryFact } from '../src/core/gate/facts.js'
import type { Campaign } from '../src/core/gate/campaign.js'
import { applicableRegistries } from '../src/core/gate/applicable-registries.js'
import { STANDING_RULES } from '../src/core/gate/standing-rules.js'
import { DEFAULT_PACK } from '../src/core/rules/default-pack.js'
import { timeRules } from '../src/core/rules/time-rules.js'
import { normalizePhone } from '../src/core/phone/normalize.js'
import { candidatePlaces } from '../src/core/phone/places.js'
import type { ConsentEvent } from '../src/core/consent/consent-event.js'
import type { DncEntry } from '../src/core/dnc/dnc-entry.js'
import { DAY, HOUR } from '../src/core/time/instant.js'
import { emit, envInt, log, rates, rng } from './lib/common.js'
import { geographicNpas, pickNpas, randomNumber } from './lib/data.js'

const ROUNDS = envInt('BENCH_ROUNDS', 5)
const PER_ROUND = envInt('BENCH_DECIDE_PER_ROUND', 100_000)
const rnd = rng(envInt('BENCH_SEED', 20261201))

const rules = Object.freeze([...STANDING_RULES, ...timeRules(DEFAULT_PACK)])
const campaign: Campaign = { id: 'bench', seller: 'Bench Co', sellerKey: 'bench co', purpose: 'marketing', dialing: 'autodialed', channel: 'voice' }
const asOf = Date.parse('2026-11-25T00:00:00Z')
const base = Date.parse('2026-12-01T00:00:00Z')

function factsFor(ten: number): DecisionFacts {
  const r = normalizePhone(String(ten))
  if (!r.ok) throw new Error(`bench number ${ten} is invalid: ${r.reason}`)
  const phone = r.phone
  const places = candidatePlaces(phone)
  const u = rnd()
  const listed = u >= 0.6 && u < 0.7
  const registries: RegistryFact[] = applicableRegistries(phone, places).map((a) => ({
    registry: a.registry,
    kind: a.kind,
    version: a.kind === 'national' ? { id: `reg_${a.registry}`, asOf } : null,
    listed: listed && a.kind === 'national',
  }))
  const consentEvents: ConsentEvent[] = u < 0.6 ? [{ type: 'grant', id: 'ce', sellerKey: campaign.sellerKey, kind: 'written', channel: 'voice', at: base - 40 * DAY }] : []
  const dncEntries: DncEntry[] = u >= 0.7 && u < 0.75 ? [{ id: 'dnc', sellerKey: null, at: base - 5 * DAY, origin: 'request' }] : []
  return { phone, campaign, places, consentEvents, dncEntries, reassigned: [], registries, calls: [], abandonment: { 720: { liveAnswered: 1000, abandoned: 12 }, 24: { liveAnswered: 40, abandoned: 0 } }, flags: { emergencies: [] } }
}

const us = geographicNpas('US')
const ca = geographicNpas('CA')
const sets: [string, number[]][] = [
  ['one zone (305, FL)', [305]],
  ['split area code (850, FL: ET + CT)', [850]],
  ['Canada (416, ON)', [416]],
  ['mix of 60 area codes (50 US, 10 CA)', [...pickNpas(us, 50, rnd), ...pickNpas(ca, 10, rnd)]],
]
const FACTS = 4096
const INSTANTS = 1 << 16
/** A week from Tuesday 00:00 UTC, minute resolution. */
const instants = Float64Array.from({ length: INSTANTS }, (_, i) => base + ((i * 7919) % (7 * 24 * 60)) * 60_000)

function run(facts: readonly DecisionFacts[], n: number): { blocked: number; timed: number } {
  let blocked = 0
  let timed = 0
  for (let i = 0; i < n; i++) {
    const d = decide(facts[i & (FACTS - 1)]!, rules, instants[i & (INSTANTS - 1)]!)
    if (d.verdict === 'block') blocked++
    if (d.nextAllowedAt !== null) timed++
  }
  return { blocked, timed }
}

const decideResults = []
for (const [name, npas] of sets) {
  const facts = Array.from({ length: FACTS }, () => factsFor(randomNumber(npas, rnd)))
  run(facts, PER_ROUND >> 1)
  const ms: number[] = []
  let mix = { blocked: 0, timed: 0 }
  for (let k = 0; k < ROUNDS; k++) {
    const t = performance.now()
    mix = run(facts, PER_ROUND)
    ms.push(performance.now() - t)
  }
  const r = rates(ms, PER_ROUND)
  decideResults.push({ name, rate: r, blockedShare: mix.blocked / PER_ROUND, nextAllowedShare: mix.timed / PER_ROUND })
  log(`decide, ${name}: ${Math.round(r.median).toLocaleString('en-US')}/s`)
}

// next-allowed search alone, at instants blocked only by time: 02:00–06:00 US Eastern (07–11 UTC).
const PER_SEARCH_ROUND = Math.max(1000, PER_ROUND >> 3)
const nightInstants = Float64Array.from({ length: 1024 }, (_, i) => base + (i % 7) * DAY + 7 * HOUR + ((i * 37) % 240) * 60_000)
const timeOnly = Array.from({ length: FACTS }, () => {
  const f = factsFor(randomNumber(sets[3]![1], rnd))
  return { ...f, consentEvents: [{ type: 'grant', id: 'ce', sellerKey: campaign.sellerKey, kind: 'written', channel: 'voice', at: base - 40 * DAY }] as ConsentEvent[], dncEntries: [] }
})
function search(n: number): number {
  let found = 0
  for (let i = 0; i < n; i++) if (nextAllowedAt(timeOnly[i & (FACTS - 1)]!, rules, nightInstants[i & 1023]!) !== null) found++
  return found
}
search(PER_SEARCH_ROUND >> 1)
const searchMs: number[] = []
let found = 0
for (let k = 0; k < ROUNDS; k++) {
  const t = performance.now()
  found = search(PER_SEARCH_ROUND)
  searchMs.push(performance.now() - t)
}
const searchRate = rates(searchMs, PER_SEARCH_ROUND)
log(`nextAllowedAt: ${Math.round(searchRate.median).toLocaleString('en-US')}/s`)

// Allowed decisions only (every number consented, weekdays 18:00–19:00 UTC: inside every window
// of the mixed set): the cost of a verdict that evaluates every rule and searches nothing.
const dayInstants = Float64Array.from({ length: 1024 }, (_, i) => base + (i % 4) * DAY + 18 * HOUR + ((i * 37) % 60) * 60_000)
function allowedOnly(n: number): number {
  let allowed = 0
  for (let i = 0; i < n; i++) if (decide(timeOnly[i & (FACTS - 1)]!, rules, dayInstants[i & 1023]!).verdict === 'allow') allowed++
  return allowed
}
allowedOnly(PER_ROUND >> 1)
const allowMs: number[] = []
let allowedCount = 0
for (let k = 0; k < ROUNDS; k++) {
  const t = performance.now()
  allowedCount = allowedOnly(PER_ROUND)
  allowMs.push(performance.now() - t)
}
const allowRate = rates(allowMs, PER_ROUND)
log(`decide, allowed only: ${Math.round(allowRate.median).toLocaleString('en-US')}/s (${allowedCount} of ${PER_ROUND} allowed)`)

// The time rules' evaluate alone (the former decide-time-rules bench), on the mixed set.
const trules = timeRules(DEFAULT_PACK)
const mixed = Array.from({ length: FACTS }, () => factsFor(randomNumber(sets[3]![1], rnd)))
function evalTime(n: number): number {
  let b = 0
  for (let i = 0; i < n; i++) {
    const f = mixed[i & (FACTS - 1)]!
    const at = instants[i & (INSTANTS - 1)]!
    for (const r of trules) b += r.evaluate(f, at).length
  }
  return b
}
evalTime(PER_ROUND >> 1)
const evalMs: number[] = []
for (let k = 0; k < ROUNDS; k++) {
  const t = performance.now()
  evalTime(PER_ROUND)
  evalMs.push(performance.now() - t)
}
const evalRate = rates(evalMs, PER_ROUND)

// Per rule: evaluate alone on the mixed set (what a decision spends where).
const perRule = []
for (const rule of rules) {
  const n = PER_ROUND
  const loop = (): number => {
    let b = 0
    for (let i = 0; i < n; i++) b += rule.evaluate(mixed[i & (FACTS - 1)]!, instants[i & (INSTANTS - 1)]!).length
    return b
  }
  loop()
  const ms: number[] = []
  for (let k = 0; k < 2; k++) {
    const t = performance.now()
    loop()
    ms.push(performance.now() - t)
  }
  perRule.push({ id: rule.id, rate: rates(ms, n) })
}

emit({
  config: { rounds: ROUNDS, perRound: PER_ROUND, rules: rules.map((r) => r.id), pack: DEFAULT_PACK.version, tz: process.versions.tz },
  decide: decideResults,
  allowedOnly: { rate: allowRate, allowedShare: allowedCount / PER_ROUND },
  nextAllowed: { rate: searchRate, foundShare: found / PER_SEARCH_ROUND },
  timeRulesEvaluate: { rate: evalRate },
  perRule,
})
