import type { GateRule } from '../gate/gate-rule.js'
import { abandonmentRule } from './abandonment-rule.js'
import { callingWindowRule } from './calling-window-rule.js'
import { compilePack } from './compiled-pack.js'
import { emergencyRule } from './emergency-rule.js'
import { frequencyCapRule } from './frequency-cap-rule.js'
import { restrictedDayRule } from './restricted-day-rule.js'
import type { RulePack } from './rule-pack.js'

/**
 * Every gate rule driven by a rule pack, compiled once: calling windows (`CALLING_HOURS`),
 * restricted days (`RESTRICTED_DAY`), frequency caps (`FREQUENCY_CAP`), both with `clearsAt`;
 * declared emergencies (`EMERGENCY`) and abandonment rate (`ABANDON_RATE`), standing.
 *
 * @example const rules = timeRules(mergePacks(DEFAULT_PACK, operatorPack))
 */
export function timeRules(pack: RulePack): GateRule[] {
  const cp = compilePack(pack)
  return [callingWindowRule(cp), restrictedDayRule(cp), frequencyCapRule(cp), emergencyRule(cp), abandonmentRule(cp)]
}
