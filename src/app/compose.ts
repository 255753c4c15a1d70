import type { AppConfig } from './config.js'
import { openInfrastructure, type Infrastructure, type OpenMode } from './infrastructure.js'
import { loadGateRules } from './gate/gate-rules.js'
import { RegistryCatalog } from './indexes/registry-catalog.js'
import { SubjectWrites } from './subject-writes.js'
import { CampaignService } from './services/campaigns.js'
import { ConsentService } from './services/consent.js'
import { DncService } from './services/dnc.js'
import { ReassignedService } from './services/reassigned.js'
import { CallsService } from './services/calls.js'
import { EmergencyService } from './services/emergencies.js'
import { GateService } from './services/gate.js'
import { RegistryService } from './services/registry.js'
import { ScrubService } from './services/scrub.js'
import { legacyApp, type App } from './open-app.js'

/** The long-lived services of one process: the CLI and the HTTP server are thin edges over these. */
export interface Services {
  readonly config: AppConfig
  readonly campaigns: CampaignService
  readonly consent: ConsentService
  readonly dnc: DncService
  readonly reassigned: ReassignedService
  readonly calls: CallsService
  readonly emergencies: EmergencyService
  readonly gate: GateService
  readonly registry: RegistryService
  readonly scrub: ScrubService
  /** Bridge for the commands not yet moved onto services (removed when the last one moves). */
  readonly legacy: App
  /** The infrastructure under the services (jobs and the edges' lifecycle use it). */
  readonly infra: Infrastructure
  close(): Promise<void>
}

/**
 * The composition root: opens the data directory once and builds every service once. Nothing
 * else constructs services; a long-lived process (the server) calls this at start.
 */
export async function compose(config: AppConfig, mode: OpenMode, clock: () => number = Date.now): Promise<Services> {
  const infra = await openInfrastructure(config, mode, clock)
  try {
    return composeServices(infra)
  } catch (err) {
    await infra.store.close()
    throw err
  }
}

/** Builds the services over opened infrastructure. */
export function composeServices(infra: Infrastructure): Services {
  const { config, store, repos, uow, watch, clock } = infra
  const db = store.db
  const rules = loadGateRules(config)
  const writes = new SubjectWrites(uow, repos.subjects)
  const campaigns = new CampaignService(uow, repos.campaigns, db, watch)
  const emergencies = new EmergencyService(uow, repos.emergencies, db, watch)
  const registries = new RegistryCatalog(repos.registries, db, watch)
  const gate = new GateService({ uow, repos, db, watch, rules, registries, campaigns, emergencies, clock })
  return {
    config,
    campaigns,
    consent: new ConsentService(writes, repos.consent, repos.disclosures),
    dnc: new DncService(writes, repos.dnc),
    reassigned: new ReassignedService(writes, repos.reassigned),
    calls: new CallsService(writes, repos.calls, campaigns, db, clock),
    emergencies,
    gate,
    registry: new RegistryService({ uow, repos, db, watch, catalog: registries, clock }),
    scrub: new ScrubService({ uow, repos, db, dialect: store.dialect, watch, gate, keyring: infra.keyring, clock }),
    legacy: legacyApp(infra),
    infra,
    close: () => store.close(),
  }
}
