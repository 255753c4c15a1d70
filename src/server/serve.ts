import type { FastifyInstance } from 'fastify'
import type { AppConfig } from '../app/config.js'
import { compose, type Services } from '../app/compose.js'
import { buildServer } from './build-server.js'
import { ServerMetrics } from './metrics.js'

/** A running server. */
export interface RunningServer {
  readonly app: FastifyInstance
  readonly services: Services
  readonly metrics: ServerMetrics
  /** Every route registered (method and URL pattern), the documentation pages excepted. */
  readonly routes: ReadonlyArray<{ method: string; url: string }>
  /** The address it listens on, e.g. `http://127.0.0.1:8080`. */
  readonly url: string
  /** Stops accepting requests, drains the ones in flight, flushes the decision log and closes the store. */
  close(): Promise<void>
}

/**
 * Starts `dialward serve`: composes the services in live mode (the gate's facts in memory, the
 * decision log by group commit), loads the index, and listens. `clock` is the services' clock
 * (tests run a server at a fixed instant of the day).
 */
export async function startServer(config: AppConfig, listen: { host: string; port: number }, logStream?: NodeJS.WritableStream, clock: () => number = Date.now): Promise<RunningServer> {
  const metrics = new ServerMetrics()
  const services = await compose(config, 'create', clock, 'live', { onDecisionBatch: (n) => metrics.groupCommit.observe(n) })
  try {
    await services.start()
    const { server } = config
    const { app, routes } = await buildServer(services, {
      trustedProxies: server.trustedProxies,
      sms: { secret: server.smsWebhookSecret, publicUrl: server.smsWebhookUrl },
      logLevel: server.logLevel,
      authFailuresPerMinute: server.authFailuresPerMinute,
      metrics,
      ...(logStream ? { logStream } : {}),
    })
    const url = await app.listen({ host: listen.host, port: listen.port })
    let closing: Promise<void> | null = null
    return {
      app,
      services,
      metrics,
      routes,
      url,
      close: () => {
        closing ??= (async () => {
          await app.close()
          await services.close()
        })()
        return closing
      },
    }
  } catch (err) {
    await services.close()
    throw err
  }
}
