import { PassThrough } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { loadConfig } from '../../src/app/config.js'
import { requestContext } from '../../src/app/context.js'
import { startServer, type RunningServer } from '../../src/server/serve.js'
import type { Role } from '../../src/app/context.js'
import type { Installation } from './cli.js'

/** A server running in this process over an installation's data, with its logs captured. */
export interface TestServer {
  readonly server: RunningServer
  readonly app: FastifyInstance
  readonly url: string
  /** Everything the server logged so far. */
  logs(): string
  /** Creates an API key with `role` (through the service, as `dialward apikey create` does). */
  key(role: Role, name?: string, expiresAt?: number | null): Promise<{ id: string; key: string }>
  close(): Promise<void>
}

/** Starts `dialward serve` in process on a free port over `dw`'s data directory and database (optionally on another clock). */
export async function testServer(dw: Installation, env: Record<string, string> = {}, clock: () => number = Date.now): Promise<TestServer> {
  const config = loadConfig({ data: dw.dataDir }, { ...process.env, ...dw.env, DIALWARD_LOG_LEVEL: 'info', ...env })
  const stream = new PassThrough()
  let logs = ''
  stream.on('data', (d: Buffer) => (logs += d.toString()))
  const server = await startServer(config, { host: '127.0.0.1', port: 0 }, stream, clock)
  return {
    server,
    app: server.app,
    url: server.url,
    logs: () => logs,
    key: async (role, name = `${role} test key`, expiresAt = null) => {
      const k = await server.services.apiKeys.create(requestContext('test', 'admin'), { name, role, expiresAt })
      return { id: k.id, key: k.key }
    },
    close: () => server.close(),
  }
}
