import { Type } from 'typebox'
import type { Api } from '../api.js'
import type { HealthService } from '../../app/services/health.js'
import type { ServerMetrics } from '../metrics.js'

/** `GET /healthz` (the process is up), `GET /readyz` (503 when the database or keys are unavailable), `GET /metrics`. */
export function opsRoutes(app: Api, readiness: HealthService, metrics: ServerMetrics): void {
  app.get('/healthz', { schema: { summary: 'The process is up', tags: ['operations'], response: { 200: Type.Object({ status: Type.Literal('ok') }) } } }, async () => ({ status: 'ok' as const }))
  app.get(
    '/readyz',
    {
      schema: {
        summary: 'The database and keys are available (503 otherwise: checks are then refused, never allowed)',
        tags: ['operations'],
        response: { 200: Type.Object({ status: Type.Literal('ready') }), 503: Type.Object({ status: Type.Literal('unavailable'), problems: Type.Array(Type.String()) }) },
      },
    },
    async (_req, reply) => {
      const r = await readiness.check()
      if (r.ready) return { status: 'ready' as const }
      return reply.status(503).send({ status: 'unavailable' as const, problems: r.problems })
    },
  )
  app.get('/metrics', { schema: { summary: 'Prometheus metrics', tags: ['operations'], produces: ['text/plain'] } }, async (_req, reply) => {
    await reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics())
  })
}
