import type { Kysely } from 'kysely'
import type { Database } from '../../store/schema.js'
import type { Capabilities } from '../../store/dialects/capabilities.js'
import { AuditLogRepo } from '../../store/repos/audit-log.js'
import type { AuditValue } from '../../core/audit/audit-entry.js'

/** What a change records about itself: no plaintext PII, only pseudonyms (blind indexes), ids and ciphertext. */
export interface AuditRecord {
  readonly action: string
  readonly subject: string | null
  readonly data: Record<string, AuditValue>
}

/** Legacy bridge (removed once every service writes through the unit of work): appends one audit entry. */
export async function appendAudit(trx: Kysely<Database>, dialect: Capabilities, actor: string, at: number, record: AuditRecord): Promise<number> {
  return new AuditLogRepo(dialect).append(trx, { actor, at, ...record })
}
