import type { AppConfig } from './config.js'
import { openInfrastructure, type Infrastructure, type OpenMode } from './infrastructure.js'
import { requireNotRolledBack } from './audit/rollback-guard.js'
import { loadGateRules } from './gate/gate-rules.js'
import { RegistryCatalog } from './indexes/registry-catalog.js'
import { SubjectWrites } from './subject-writes.js'
import { CampaignService } from './services/campaigns.js'
import { ConsentService } from './services/consent.js'
import { DncService } from './services/dnc.js'
import { ReassignedService } from './services/reassigned.js'
import { ReassignedWorkflow } from './services/reassigned-workflow.js'
import { CallsService } from './services/calls.js'
import { EmergencyService } from './services/emergencies.js'
import { GateService } from './services/gate.js'
import { RegistryService } from './services/registry.js'
import { ApiKeyService } from './services/api-keys.js'
import { HealthService } from './services/health.js'
import { ImportService } from './services/imports.js'
import { RetentionService } from './services/retention.js'
import { HoldService } from './services/holds.js'
import { ReportService } from './services/reports.js'
import { StoredFacts } from './gate/stored-facts.js'
import { DirectDecisionLog, type DecisionLog } from './gate/decision-log.js'
import { GateIndex } from './indexes/gate-index.js'
import { GroupCommit } from '../jobs/group-commit.js'
import { InProcessBatchWriter, WorkerBatchWriter } from '../jobs/batch-writer.js'
import { AuditService } from './services/audit.js'
import { EvidenceService } from './services/evidence.js'
import { KeysService } from './services/keys.js'
import { SignedLog } from './audit/signed-log.js'
import { signCheckpoint } from '../jobs/checkpoint-signer.js'
import { loadDataSchema, type LoadedSchema } from './contacts/data-schema-file.js'
import { ContactService } from './services/contacts.js'
import { DialerLists } from './services/dialer-lists.js'
import { ScrubService } from './services/scrub.js'

/** The long-lived services of one process: the CLI and the HTTP server are thin edges over these. */
export interface Services {
  readonly config: AppConfig
  readonly campaigns: CampaignService
  readonly consent: ConsentService
  readonly dnc: DncService
  readonly reassigned: ReassignedService
  readonly reassignedWorkflow: ReassignedWorkflow
  readonly calls: CallsService
  readonly emergencies: EmergencyService
  readonly gate: GateService
  readonly registry: RegistryService
  readonly apiKeys: ApiKeyService
  readonly health: HealthService
  readonly imports: ImportService
  readonly retention: RetentionService
  readonly holds: HoldService
  /** Read models of the dashboard: decisions by day, consent coverage, abandonment series. */
  readonly reports: ReportService
  readonly audit: AuditService
  readonly evidence: EvidenceService
  readonly keys: KeysService
  readonly contacts: ContactService
  /** Lists for dialers: allowed contacts of a campaign's purpose, the company DNC list. */
  readonly lists: DialerLists
  /** The data schema in force (purposes, kept fields, periods, staleness). */
  readonly dataSchema: LoadedSchema
  readonly scrub: ScrubService
  /** The infrastructure under the services (jobs and the edges' lifecycle use it). */
  readonly infra: Infrastructure
  /** The in-memory gate index of a live process (`null` on the command line). */
  readonly gateIndex: GateIndex | null
  /** Starts what a live process runs beside requests (the gate index); a no-op on the command line. */
  start(): Promise<void>
  /** Stops background work, writes what is pending (the decision log) and closes the store. */
  close(): Promise<void>
}

/** How the services run: `cli` (one request per process: read stored rows, write each decision at once) or `live` (a server: facts in memory, group commit). */
export type ServiceMode = 'cli' | 'live'

/** Group-commit hook of a live process (the server counts batch sizes). */
export interface LiveOptions {
  readonly onDecisionBatch?: (rows: number) => void
}

/**
 * The composition root: opens the data directory once and builds every service once. Nothing
 * else constructs services; a long-lived process (the server) calls this at start.
 */
export async function compose(config: AppConfig, mode: OpenMode, clock: () => number = Date.now, run: ServiceMode = 'cli', live: LiveOptions = {}): Promise<Services> {
  const infra = await openInfrastructure(config, mode, clock)
  try {
    return composeServices(infra, run, live)
  } catch (err) {
    await infra.store.close()
    throw err
  }
}

/** Builds the services over opened infrastructure. */
export function composeServices(infra: Infrastructure, run: ServiceMode = 'cli', live: LiveOptions = {}): Services {
  const { config, store, repos, uow, watch, clock } = infra
  const db = store.db
  const dataSchema = loadDataSchema(config)
  const loaded = loadGateRules(config)
  const rules = { ...loaded, versions: Object.freeze({ ...loaded.versions, dataSchema: dataSchema.sha256.slice(0, 16) }) }
  const writes = new SubjectWrites(uow, repos.subjects)
  const campaigns = new CampaignService(uow, repos.campaigns, db, watch, dataSchema.schema, repos.rowHeads)
  const emergencies = new EmergencyService(uow, repos.emergencies, db, watch, repos.rowHeads)
  const registries = new RegistryCatalog(repos.registries, db, watch, repos.rowHeads)
  const stored = new StoredFacts(repos, db, watch)
  const gateIndex = run === 'live' ? new GateIndex({ repos, db, dialect: store.dialect, watch, catalog: registries, fallback: stored, clock }) : null
  const decisionLog: DecisionLog =
    run === 'live'
      ? new GroupCommit(store.dialect.blockingWrites ? new WorkerBatchWriter(config.database) : new InProcessBatchWriter(uow, repos), live.onDecisionBatch ? { onBatch: live.onDecisionBatch } : {})
      : new DirectDecisionLog(uow, repos)
  const consent = new ConsentService(writes, repos.consent, repos.disclosures)
  const dnc = new DncService(writes, repos.dnc)
  const gate = new GateService({ repos, rules, registries, campaigns, emergencies, facts: gateIndex ?? stored, log: decisionLog, clock, dataSchema })
  const calls = new CallsService(writes, repos.calls, campaigns, db, clock)
  const log = new SignedLog({ db, auditLog: repos.auditLog, keyring: infra.keyring, signNow: () => signCheckpoint(infra, clock()) })
  return {
    config,
    campaigns,
    consent,
    dnc,
    imports: new ImportService(dnc, consent),
    reassigned: new ReassignedService(writes, repos.reassigned),
    reassignedWorkflow: new ReassignedWorkflow({ uow, repos, db, campaigns, clock }),
    calls,
    emergencies,
    gate,
    registry: new RegistryService({ uow, repos, db, watch, catalog: registries, clock }),
    scrub: new ScrubService({ uow, repos, db, dialect: store.dialect, watch, gate, keyring: infra.keyring, clock }),
    apiKeys: new ApiKeyService(uow, repos.apiKeys, db, watch, clock),
    health: new HealthService(infra, () => (gateIndex?.tampered ? [`tampered: ${gateIndex.tampered}`] : [])),
    retention: new RetentionService({ ...infra, dataSchema: dataSchema.schema }),
    reports: new ReportService({ db, decisions: repos.decisions, calls: repos.calls, campaigns, callsService: calls, clock }),
    holds: new HoldService(uow, repos.legalHolds, repos.subjects, campaigns, db, clock),
    audit: new AuditService({ db, auditLog: repos.auditLog, keyring: infra.keyring, log, heads: repos.rowHeads, requireNotRolledBack: () => requireNotRolledBack(db, repos.auditLog, config.checkpointPath) }),
    evidence: new EvidenceService({ db, uow, repos, keyring: infra.keyring, log }),
    keys: new KeysService({ db, uow, dataKeys: repos.dataKeys, settings: repos.settings, keyring: infra.keyring, keyringPath: config.keyringPath, log, clock }),
    contacts: new ContactService({ uow, repos, db, schema: dataSchema, clock }),
    lists: new DialerLists({ uow, repos, db, campaigns, gate, schema: dataSchema.schema, clock }),
    dataSchema,
    infra,
    gateIndex,
    start: async () => {
      await gateIndex?.start()
    },
    close: async () => {
      await gateIndex?.stop()
      await decisionLog.flush()
      await store.close()
    },
  }
}
