import type { Capabilities } from '../dialects/capabilities.js'
import type { BlindIndexer } from '../../crypto/blind-index.js'
import type { DataKeys } from './data-keys.js'
import { AuditLogRepo } from './audit-log.js'
import { apiKeysRepo } from './api-keys.js'
import { campaignsRepo } from './campaigns.js'
import { callsRepo } from './calls.js'
import { ConsentRepo } from './consent.js'
import { DisclosuresRepo } from './disclosures.js'
import { DncRepo } from './dnc.js'
import { DecisionsRepo } from './decisions.js'
import { RegistriesRepo } from './registries.js'
import { emergenciesRepo } from './emergencies.js'
import { reassignedRepo } from './reassigned.js'
import { refusalsRepo } from './refusals.js'
import { Sealer } from './sealer.js'
import { settings } from './settings.js'
import { subjectRecords } from './subject-records.js'
import { SubjectsRepo } from './subjects.js'
import { LegalHoldsRepo } from './legal-holds.js'
import { suppressionsRepo } from './suppressions.js'
import { retentionRunsRepo } from './retention-runs.js'
import { RowHeads } from './row-heads.js'
import type { CoverageMac } from '../../crypto/coverage-mac.js'
import { ContactsRepo } from './contacts.js'
import { ContactQuarantineRepo } from './contact-quarantine.js'

/** Every repository, built once per process over one database and one keyring. */
export interface Repositories {
  readonly settings: typeof settings
  readonly dataKeys: DataKeys
  readonly sealer: Sealer
  readonly subjects: SubjectsRepo
  readonly subjectRecords: typeof subjectRecords
  readonly campaigns: typeof campaignsRepo
  readonly consent: ConsentRepo
  readonly disclosures: DisclosuresRepo
  readonly dnc: DncRepo
  readonly reassigned: typeof reassignedRepo
  readonly calls: typeof callsRepo
  readonly emergencies: typeof emergenciesRepo
  readonly registries: RegistriesRepo
  readonly decisions: DecisionsRepo
  readonly auditLog: AuditLogRepo
  readonly refusals: typeof refusalsRepo
  readonly apiKeys: typeof apiKeysRepo
  readonly legalHolds: LegalHoldsRepo
  readonly suppressions: typeof suppressionsRepo
  readonly retentionRuns: typeof retentionRunsRepo
  /** Scope heads: what one check verifies the rows it reads against (ADR 0011). */
  readonly rowHeads: RowHeads
  readonly contacts: ContactsRepo
  readonly quarantine: ContactQuarantineRepo
}

/** Builds the repositories (the composition root calls this once). */
export function createRepositories(dialect: Capabilities, index: BlindIndexer, dataKeys: DataKeys, mac: CoverageMac): Repositories {
  const sealer = new Sealer(dataKeys)
  const subjects = new SubjectsRepo(index, dataKeys, sealer, dialect)
  return {
    settings,
    dataKeys,
    sealer,
    subjects,
    subjectRecords,
    campaigns: campaignsRepo,
    consent: new ConsentRepo(subjects, sealer),
    disclosures: new DisclosuresRepo(dataKeys, sealer),
    dnc: new DncRepo(subjects, sealer),
    reassigned: reassignedRepo,
    calls: callsRepo,
    emergencies: emergenciesRepo,
    registries: new RegistriesRepo(sealer),
    decisions: new DecisionsRepo(dialect),
    auditLog: new AuditLogRepo(dialect),
    refusals: refusalsRepo,
    apiKeys: apiKeysRepo,
    legalHolds: new LegalHoldsRepo(dataKeys, sealer),
    suppressions: suppressionsRepo,
    retentionRuns: retentionRunsRepo,
    rowHeads: new RowHeads(mac),
    contacts: new ContactsRepo(sealer, dialect),
    quarantine: new ContactQuarantineRepo(sealer, dialect),
  }
}
