import type { GateRule } from './gate-rule.js'
import { consentRule } from './rules/consent-rule.js'
import { freshnessRule } from './rules/freshness-rule.js'
import { internalDncRule } from './rules/internal-dnc-rule.js'
import { registryRule } from './rules/registry-rule.js'
import { dataStaleRule } from './rules/data-stale-rule.js'

/** The rules that waiting cannot lift: consent, company do-not-call, registries and their freshness, stale contact data. */
export const STANDING_RULES: readonly GateRule[] = Object.freeze([consentRule, internalDncRule, registryRule, freshnessRule, dataStaleRule])
