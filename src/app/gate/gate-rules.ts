import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { GateRule } from '../../core/gate/gate-rule.js'
import { STANDING_RULES } from '../../core/gate/standing-rules.js'
import { NANP_DATA_VERSION } from '../../core/phone/nanp-table.generated.js'
import { DEFAULT_PACK } from '../../core/rules/default-pack.js'
import { mergePacks, validatePack, type RulePack } from '../../core/rules/rule-pack.js'
import { timeRules } from '../../core/rules/time-rules.js'
import { invalidInput } from '../../core/errors.js'
import type { AppConfig } from '../config.js'

/** The gate's rules and the versions of everything they were built from. */
export interface GateRuleSet {
  readonly rules: readonly GateRule[]
  readonly versions: Readonly<Record<string, string>>
}

/**
 * The operator's rule pack, if any: the file named by `DIALWARD_RULE_PACK`, else
 * `DATA/rule-pack.json` when it exists. Validated at load with every error reported.
 */
function operatorPack(config: AppConfig): RulePack | null {
  const path = config.rulePackPath ?? join(config.dataDir, 'rule-pack.json')
  if (!existsSync(path)) {
    if (config.rulePackPath) throw invalidInput('DIALWARD_RULE_PACK', `no file at ${path}`)
    return null
  }
  let json: unknown
  try {
    json = JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    throw invalidInput('rule pack', `${path} is not valid JSON`)
  }
  const result = validatePack(json)
  if (!result.ok) throw invalidInput('rule pack', `${path}: ${result.errors.join('; ')}`)
  return result.pack
}

/** Every rule the gate applies, in the order their reasons are listed: standing rules, then time rules. */
export function gateRules(config: AppConfig): GateRuleSet {
  const extra = operatorPack(config)
  const pack = extra ? mergePacks(DEFAULT_PACK, extra) : DEFAULT_PACK
  return {
    rules: Object.freeze([...STANDING_RULES, ...timeRules(pack)]),
    versions: Object.freeze({
      engine: 'dialward-0.1.0',
      rulePack: pack.version,
      nanp: NANP_DATA_VERSION,
      tz: process.versions.tz ?? 'unknown',
    }),
  }
}
