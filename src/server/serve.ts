import type { FastifyInstance } from 'fastify'
import type { Services } from '../app/compose.js'
import { buildServer } from './build-server.js'
import type { ServerMetrics } from './metrics.js'

/** A running server. */
export interface RunningServer {
  readonly app: FastifyInstance
  readonly metrics: ServerMetrics
  /** The address it listens on, e.g. `http://127.0.0.1:8080`. */
  readonly url: string
  /** Stops accepting requests, drains the ones in flight, flushes pending work and closes the store. */
  close(): Promise<void>
}

/** Starts `dialward serve` over composed services. */
export async function startServer(services: Services, listen: { host: string; port: number }, logStream?: NodeJS.WritableStream): Promise<RunningServer> {
  const { server } = services.config
  const { app, metrics } = await buildServer(services, {
    trustedProxies: server.trustedProxies,
    sms: { secret: server.smsWebhookSecret, publicUrl: server.smsWebhookUrl },
    logLevel: server.logLevel,
    ...(logStream ? { logStream } : {}),
  })
  const url = await app.listen({ host: listen.host, port: listen.port })
  let closing: Promise<void> | null = null
  return {
    app,
    metrics,
    url,
    close: () => {
      closing ??= (async () => {
        await app.close()
        await services.close()
      })()
      return closing
    },
  }
}
