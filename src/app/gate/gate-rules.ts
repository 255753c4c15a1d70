import type { GateRule } from '../../core/gate/gate-rule.js'
import { STANDING_RULES } from '../../core/gate/standing-rules.js'
import { NANP_DATA_VERSION } from '../../core/phone/nanp-table.generated.js'

/** Every rule the gate applies, in the order their reasons are listed. */
export function gateRules(): readonly GateRule[] {
  return STANDING_RULES
}

/** Versions of the data and rules behind a decision, stored with it in the decision log. */
export function ruleVersions(): Record<string, string> {
  return {
    engine: 'dialward-0.1.0',
    nanp: NANP_DATA_VERSION,
    tz: process.versions.tz ?? 'unknown',
  }
}
