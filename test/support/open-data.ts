import { loadConfig } from '../../src/app/config.js'
import { compose, type Services } from '../../src/app/compose.js'
import type { OpenMode } from '../../src/app/infrastructure.js'

/** Opens an installation's data directory in this process (tests that reach behind the CLI). */
export async function openData(dataDir: string, env: NodeJS.ProcessEnv, mode: OpenMode): Promise<Services & { db: Services['infra']['store']['db']; dataKeys: Services['infra']['repos']['dataKeys']; now(): number }> {
  const s = await compose(loadConfig({ data: dataDir }, env), mode)
  return Object.assign(s, { db: s.infra.store.db, dataKeys: s.infra.repos.dataKeys, now: s.infra.clock })
}
