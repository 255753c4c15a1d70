import type { CallAttempt, DecisionFacts } from '../gate/facts.js'
import type { GateRule } from '../gate/gate-rule.js'
import type { Reason } from '../gate/reason.js'
import { formatInstant, type Instant } from '../time/instant.js'
import { governs, rulesForPlace, type CompiledPack } from './compiled-pack.js'
import { TIME_RULE_HORIZON, earliestCommonOpen, type TimeConstraint } from './earliest-common.js'

const EMPTY: readonly Reason[] = Object.freeze([])

/**
 * `FREQUENCY_CAP` (FL, OK, MD: 3 marketing calls per rolling 24 h): a telemarketing rule, so it
 * applies to marketing campaigns only and counts the marketing calls to this number by the
 * campaign's seller (`CallAttempt.sellerKey === campaign.sellerKey`, any of its marketing
 * campaigns, any outcome), whatever purposes its pack entry lists for the entry's other effects.
 * Informational calls neither count nor are capped. The window is half-open, `(t − period, t]`:
 * a call exactly one period after the first of three no longer sees it. At or above the cap the
 * call is blocked.
 *
 * `clearsAt`: when enough old calls have left the window, i.e. the
 * (count − cap + 1)-th oldest call in the window plus the period (iterated if calls recorded
 * after `t` would refill the window).
 */
export function frequencyCapRule(cp: CompiledPack): GateRule {
  return {
    id: 'frequency-cap',
    evaluate(facts: DecisionFacts, at: Instant): readonly Reason[] {
      if (facts.campaign.purpose !== 'marketing') return EMPTY
      let reasons: Reason[] | null = null
      for (const place of facts.places) {
        for (const r of rulesForPlace(cp, place)) {
          if (r.cap === null || !governs(r, facts.campaign)) continue
          if (reasons !== null && reasons.some((x) => x.rule === r.capRule)) continue
          const n = countSellerCalls(facts.calls, facts.campaign.sellerKey, at - r.cap.perMs, at)
          if (n < r.cap.calls) continue
          const message = `${n} calls from seller ${facts.campaign.seller} to this number in the ${r.cap.perMs / 3_600_000} h up to ${formatInstant(at)}; ${r.id} allows at most ${r.cap.calls}`
          ;(reasons ??= []).push({ code: 'FREQUENCY_CAP', message, rule: r.capRule })
        }
      }
      return reasons ?? EMPTY
    },
    clearsAt(facts: DecisionFacts, at: Instant): Instant | null {
      if (facts.campaign.purpose !== 'marketing') return at
      const constraints: TimeConstraint[] = []
      const seen = new Set<string>()
      const seller = facts.campaign.sellerKey
      for (const place of facts.places) {
        for (const r of rulesForPlace(cp, place)) {
          const cap = r.cap
          if (cap === null || !governs(r, facts.campaign) || seen.has(r.id)) continue
          seen.add(r.id)
          constraints.push({
            isOpen: (t) => countSellerCalls(facts.calls, seller, t - cap.perMs, t) < cap.calls,
            nextOpenBound: (t) => {
              const inWindow = sellerCallsIn(facts.calls, seller, t - cap.perMs, t).sort((a, b) => a - b)
              return inWindow[inWindow.length - cap.calls]! + cap.perMs
            },
          })
        }
      }
      return earliestCommonOpen(constraints, at, at + TIME_RULE_HORIZON)
    },
  }
}

/** Instants of the seller's marketing calls with `from < at <= to`. */
function sellerCallsIn(calls: readonly CallAttempt[], sellerKey: string, from: Instant, to: Instant): Instant[] {
  const out: Instant[] = []
  for (const c of calls) if (c.sellerKey === sellerKey && c.purpose === 'marketing' && c.at > from && c.at <= to) out.push(c.at)
  return out
}

function countSellerCalls(calls: readonly CallAttempt[], sellerKey: string, from: Instant, to: Instant): number {
  let n = 0
  for (const c of calls) if (c.sellerKey === sellerKey && c.purpose === 'marketing' && c.at > from && c.at <= to) n++
  return n
}
