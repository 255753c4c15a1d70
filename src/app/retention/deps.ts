import type { Infrastructure } from '../infrastructure.js'
import type { DataSchema } from '../../core/contacts/data-schema.js'

/**
 * What retention's steps are built from: the store (secure delete), keys (receipts), repositories,
 * the unit of work, the clock, and the data schema (how long each purpose keeps each contact field).
 */
export type RetentionDeps = Pick<Infrastructure, 'config' | 'store' | 'keyring' | 'repos' | 'uow' | 'watch' | 'clock'> & { readonly dataSchema: DataSchema }

/** Subjects read per page while looking for due work. */
export const SUBJECT_PAGE = 200
