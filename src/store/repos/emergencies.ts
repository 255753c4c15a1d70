import type { Executor } from '../schema.js'
import { settings } from './settings.js'
import { rowLedger } from './row-ledger.js'

/** A declared state of emergency for a region (e.g. `US-LA`), as an operator recorded it. */
export interface EmergencyDeclaration {
  readonly region: string
  readonly from: number
  readonly until: number | null
  readonly reason: string | null
}

/** The settings row that holds the declarations. */
export const EMERGENCIES_SETTING = 'gate.emergencies'
const KEY = EMERGENCIES_SETTING

/** Declared emergencies, kept in `settings` as one JSON list (it is short). */
export const emergenciesRepo = {
  /** Every declaration on record. */
  async list(ex: Executor): Promise<EmergencyDeclaration[]> {
    const value = await settings.get(ex, KEY)
    return value === null ? [] : (JSON.parse(value) as EmergencyDeclaration[])
  },

  /** Replaces the list inside the caller's transaction. */
  async save(trx: Executor, all: readonly EmergencyDeclaration[]): Promise<void> {
    const value = JSON.stringify(all)
    await settings.put(trx, KEY, value)
    rowLedger.updated(trx, 'settings', { key: KEY, value }, 'emergencies')
  },
}

/** Regions under a declared emergency at an instant (`from` inclusive, `until` exclusive). */
export function emergencyRegionsAt(all: readonly EmergencyDeclaration[], at: number): string[] {
  return [...new Set(all.filter((e) => e.from <= at && (e.until === null || at < e.until)).map((e) => e.region))]
}
