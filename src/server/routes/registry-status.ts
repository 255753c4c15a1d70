import { Type } from 'typebox'
import { maybeInstant } from '../../app/input.js'
import type { Services } from '../../app/compose.js'
import type { Api } from '../api.js'
import { InstantText, KEYED_ERRORS } from '../schemas/common.js'

const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()])
const Row = Type.Object({
  registry: Type.String(),
  country: Type.String(),
  areaCodes: Type.String({ description: "The area codes the row covers: 'all', 'all others' (those no other row of the registry names), or a list ('305, 786'; a long run as '201–989 (120 area codes)')" }),
  version: Nullable(Type.String()),
  asOf: Nullable(Type.String()),
  numbers: Nullable(Type.Integer()),
  ageDays: Nullable(Type.Integer()),
  maxAgeDays: Type.Integer(),
  state: Type.Enum(['fresh', 'stale', 'missing']),
  staleFrom: Nullable(Type.String({ description: 'The first UTC day on which calls are refused (REGISTRY_STALE)' })),
})

/**
 * `GET /v1/registries/status`: registry freshness today (31 days US/CA, 28 UK), stale first — the
 * rows of `dialward registry status` as the dashboard's table (RegistryService.freshness).
 */
export function registryStatusRoutes(app: Api, s: Services): void {
  app.get(
    '/v1/registries/status',
    {
      schema: {
        summary: 'Registry freshness: per registry and area-code range, the version in force, its as-of date and age, fresh or stale today; missing national registries and uncovered area codes listed',
        tags: ['registries'],
        querystring: Type.Object({ at: Type.Optional(InstantText) }),
        response: { 200: Type.Object({ at: Type.String(), registries: Type.Array(Row) }), ...KEYED_ERRORS },
      },
    },
    async (req) => s.registry.freshness(maybeInstant('at', req.query.at)),
  )
}
