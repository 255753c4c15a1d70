import { existsSync, readFileSync } from 'node:fs'
import type { GateRule } from '../../core/gate/gate-rule.js'
import { STANDING_RULES } from '../../core/gate/standing-rules.js'
import { NANP_DATA_VERSION } from '../../core/phone/nanp-table.generated.js'
import { DEFAULT_PACK } from '../../core/rules/default-pack.js'
import { mergePacks, type RulePack } from '../../core/rules/rule-pack.js'
import { validatePack } from '../../core/rules/validate-pack.js'
import { timeRules } from '../../core/rules/time-rules.js'
import { abandonmentPeriods } from '../../core/rules/abandonment-rule.js'
import { DialwardError } from '../../core/errors.js'
import type { AppConfig } from '../config.js'

/** The gate's rules, compiled once per process, and the versions of everything they were built from. */
export interface GateRuleSet {
  readonly rules: readonly GateRule[]
  readonly versions: Readonly<Record<string, string>>
  /** The merged pack the rules were compiled from (plain data: worker threads compile the same rules from it). */
  readonly pack: RulePack
  /** The look-back periods (hours) of the pack's abandonment caps: a session measures the campaign over each. */
  readonly abandonmentPeriods: readonly number[]
}

/** Version of the decision engine recorded with every decision. */
export const ENGINE_VERSION = 'dialward-0.1.0'

/**
 * The operator's rule pack, if any: the file named by `DIALWARD_RULE_PACK` (which must exist),
 * else `DATA/rule-pack.json` when it exists. Validated at load with every error reported.
 */
function operatorPack(config: AppConfig): RulePack | null {
  const path = config.rulePackPath
  if (!existsSync(path)) {
    if (config.rulePackRequired) throw new DialwardError('INVALID_RULE_PACK', `no file at ${path}`, 'DIALWARD_RULE_PACK')
    return null
  }
  let json: unknown
  try {
    json = JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    throw new DialwardError('INVALID_RULE_PACK', `${path} is not valid JSON`, 'rule pack')
  }
  const result = validatePack(json)
  if (!result.ok) throw new DialwardError('INVALID_RULE_PACK', `${path}: ${result.errors.join('; ')}`, 'rule pack')
  return result.pack
}

/**
 * Reads and compiles every rule the gate applies, in the order their reasons are listed:
 * standing rules, then time rules. Called once when the services are composed; a long-lived
 * process never reads or compiles the pack per decision.
 */
export function loadGateRules(config: AppConfig): GateRuleSet {
  const extra = operatorPack(config)
  return compileGateRules(extra ? mergePacks(DEFAULT_PACK, extra) : DEFAULT_PACK)
}

/** Compiles the gate's rules from a (merged, validated) pack. */
export function compileGateRules(pack: RulePack): GateRuleSet {
  return {
    rules: Object.freeze([...STANDING_RULES, ...timeRules(pack)]),
    versions: Object.freeze({ engine: ENGINE_VERSION, rulePack: pack.version, nanp: NANP_DATA_VERSION, tz: process.versions.tz ?? 'unknown' }),
    pack,
    abandonmentPeriods: Object.freeze(abandonmentPeriods(pack)),
  }
}
