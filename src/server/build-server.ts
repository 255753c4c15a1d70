import Fastify, { type FastifyInstance } from 'fastify'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import formbody from '@fastify/formbody'
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox'
import { randomUUID } from 'node:crypto'
import type { Services } from '../app/compose.js'
import { ACCESS, accessKey } from './access.js'
import type { Api } from './api.js'
import { authenticator } from './authenticate.js'
import { handleError } from './http-errors.js'
import { loggerOptions } from './logger.js'
import { ServerMetrics } from './metrics.js'
import type { SmsSignatureConfig } from './sms-signature.js'
import { checkRoutes } from './routes/check.js'
import { factRoutes } from './routes/facts.js'
import { opsRoutes } from './routes/ops.js'
import { apiKeyRoutes } from './routes/api-keys.js'
import { smsWebhookRoutes } from './routes/sms-webhook.js'
import { importRoutes } from './routes/imports.js'
import { dialerListRoutes } from './routes/dialer-lists.js'
import { registryImportRoutes } from './routes/registry-import.js'
import { scrubRoutes } from './routes/scrub.js'
import { recordRoutes } from './routes/records.js'
import { contactRoutes } from './routes/contacts.js'
import { reportRoutes } from './routes/reports.js'
import { registryStatusRoutes } from './routes/registry-status.js'
import { dashboardRoutes } from './routes/dashboard.js'

/** How the server is set up (from `dialward serve` flags and environment). */
export interface ServerOptions {
  /** Addresses or CIDR ranges of proxies whose `X-Forwarded-For` is honored; none by default. */
  readonly trustedProxies: readonly string[]
  readonly sms: SmsSignatureConfig
  /** Failed authentications per client address per minute before 429. */
  readonly authFailuresPerMinute: number
  /** pino level; `silent` in tests. */
  readonly logLevel: string
  /** Where logs go (default stdout); tests pass a stream to read them. */
  readonly logStream?: NodeJS.WritableStream
  /** The metrics registry (shared with the services' group commit); a new one by default. */
  readonly metrics?: ServerMetrics
}

/** The OpenAPI document's fixed parts. */
export const OPENAPI_INFO = {
  title: 'Dialward API',
  version: '0.1.0',
  description: 'The pre-dial gate and the records behind it: consent, do-not-call, registries, calls, audit. Every route needs `Authorization: Bearer <API key>` unless marked public; roles per route are in docs/reference/http.md.',
}

/**
 * Builds the HTTP edge over composed services: fastify with JSON-schema validation (TypeBox),
 * one role table, API-key authentication, the error catalogue's statuses, redacted JSON logs,
 * Prometheus metrics and the OpenAPI 3.1 document generated from the same schemas.
 */
export async function buildServer(services: Services, options: ServerOptions): Promise<{ app: FastifyInstance; metrics: ServerMetrics; routes: ReadonlyArray<{ method: string; url: string }> }> {
  const logger = options.logStream ? { ...loggerOptions(options.logLevel), stream: options.logStream } : loggerOptions(options.logLevel)
  const app = Fastify({
    logger,
    genReqId: () => randomUUID(),
    trustProxy: options.trustedProxies.length > 0 ? [...options.trustedProxies] : false,
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  })
    .setValidatorCompiler(TypeBoxValidatorCompiler)
    .withTypeProvider() as unknown as Api
  const metrics = options.metrics ?? new ServerMetrics()
  app.setErrorHandler(handleError)
  app.setNotFoundHandler((req, reply) => void reply.status(404).send({ error: { code: 'NOT_FOUND', message: `url: no route ${req.method} ${req.routeOptions.url ?? 'here'}` } }))

  // Every route must have an entry in the role table: a route without one stops the server starting.
  const missing: string[] = []
  const routes: Array<{ method: string; url: string }> = []
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    for (const m of methods) {
      // a HEAD route (fastify adds one per GET) answers as its GET does, for the same roles
      if (m === 'HEAD' && !route.url.startsWith('/docs')) route.config = { ...(route.config ?? {}), access: ACCESS[accessKey('GET', route.url)] } as typeof route.config
      if (m === 'HEAD' || route.url.startsWith('/docs')) continue
      routes.push({ method: m, url: route.url })
      const access = ACCESS[accessKey(m, route.url)]
      if (access === undefined) missing.push(accessKey(m, route.url))
      route.config = { ...(route.config ?? {}), access: access ?? undefined } as typeof route.config
    }
    if (route.url.startsWith('/docs')) route.config = { ...(route.config ?? {}), access: 'public' } as typeof route.config
  })
  const auth = authenticator(services, options.sms, options.authFailuresPerMinute)
  app.addHook('onRequest', auth.onRequest)
  app.addHook('preValidation', auth.preValidation)
  app.addHook('onResponse', async (req, reply) => {
    metrics.latency.observe({ route: req.routeOptions.url ?? 'unknown', status: String(reply.statusCode) }, reply.elapsedTime / 1000)
    if (reply.statusCode === 401 || reply.statusCode === 403 || reply.statusCode === 429) metrics.refusedAuth.inc({ status: String(reply.statusCode) })
  })

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: OPENAPI_INFO,
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'A key from `dialward apikey create`' } } },
      security: [{ apiKey: [] }],
    },
  })
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } })
  await app.register(formbody, { bodyLimit: 64 * 1024 })

  opsRoutes(app, services.health, metrics)
  app.get('/openapi.json', { schema: { summary: 'This API document (OpenAPI 3.1)', tags: ['operations'] } }, async () => app.swagger())
  checkRoutes(app, services, metrics)
  factRoutes(app, services)
  apiKeyRoutes(app, services)
  recordRoutes(app, services)
  contactRoutes(app, services)
  dialerListRoutes(app, services)
  reportRoutes(app, services)
  registryStatusRoutes(app, services)
  dashboardRoutes(app)
  await app.register(async (scope) => smsWebhookRoutes(scope as unknown as Api, services))
  await app.register(async (scope) => importRoutes(scope as unknown as Api, services))
  await app.register(async (scope) => registryImportRoutes(scope as unknown as Api, services))
  await app.register(async (scope) => scrubRoutes(scope as unknown as Api, services))

  await app.ready()
  if (missing.length > 0) {
    await app.close()
    throw new Error(`routes without an entry in the role table (src/server/access.ts): ${missing.join(', ')}`)
  }
  return { app, metrics, routes }
}
