import type { Kysely } from 'kysely'
import type { Database } from '../../store/schema.js'

/** A declared state of emergency for a region (e.g. `US-LA`), as an operator recorded it. */
export interface EmergencyDeclaration {
  readonly region: string
  readonly from: number
  readonly until: number | null
  readonly reason: string | null
}

export const EMERGENCIES_KEY = 'gate.emergencies'

/** Every declaration on record (kept in `settings` as JSON; the list is short). */
export async function loadEmergencies(db: Kysely<Database>): Promise<EmergencyDeclaration[]> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', EMERGENCIES_KEY).executeTakeFirst()
  return row ? (JSON.parse(row.value) as EmergencyDeclaration[]) : []
}

/** Regions under a declared emergency at an instant (`from` inclusive, `until` exclusive). */
export async function emergenciesAt(db: Kysely<Database>, at: number): Promise<string[]> {
  const all = await loadEmergencies(db)
  return [...new Set(all.filter((e) => e.from <= at && (e.until === null || at < e.until)).map((e) => e.region))]
}
