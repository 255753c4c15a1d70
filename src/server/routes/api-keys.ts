import { Type } from 'typebox'
import { ROLES } from '../../app/context.js'
import { maybeInstant } from '../../app/input.js'
import { formatInstant } from '../../core/time/instant.js'
import type { Services } from '../../app/compose.js'
import type { Api } from '../api.js'
import { contextOf } from '../authenticate.js'
import { InstantText, KEYED_ERRORS } from '../schemas/common.js'

const Nullable = Type.Union([Type.String(), Type.Null()])
const KeyView = Type.Object({ id: Type.String(), name: Type.String(), role: Type.Enum([...ROLES]), createdAt: Type.String(), expiresAt: Nullable, revokedAt: Nullable, lastUsedAt: Nullable, state: Type.Enum(['active', 'revoked', 'expired']) })

/** `GET/POST /v1/apikeys`, `POST /v1/apikeys/revoke` (admin only): the HTTP form of `dialward apikey`. */
export function apiKeyRoutes(app: Api, s: Services): void {
  app.get('/v1/apikeys', { schema: { summary: 'API keys (never their secrets)', tags: ['access'], response: { 200: Type.Object({ keys: Type.Array(KeyView) }), ...KEYED_ERRORS } } }, async () => ({ keys: await s.apiKeys.list() }))
  app.post(
    '/v1/apikeys',
    {
      schema: {
        summary: 'Create a key; its secret is in this answer only',
        tags: ['access'],
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), role: Type.Enum([...ROLES]), expires: Type.Optional(InstantText) }, { additionalProperties: false }),
        response: { 200: Type.Object({ id: Type.String(), key: Type.String(), role: Type.Enum([...ROLES]), name: Type.String(), expiresAt: Nullable }), ...KEYED_ERRORS },
      },
    },
    async (req) => s.apiKeys.create(contextOf(req), { name: req.body.name.trim(), role: req.body.role, expiresAt: maybeInstant('expires', req.body.expires) ?? null }),
  )
  app.post(
    '/v1/apikeys/revoke',
    { schema: { summary: 'Revoke a key at once', tags: ['access'], body: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }), response: { 200: KeyView, 404: KEYED_ERRORS[400], ...KEYED_ERRORS } } },
    async (req) => s.apiKeys.revoke(contextOf(req), req.body.id),
  )
  app.get(
    '/v1/whoami',
    {
      schema: {
        summary: "The calling key's id, name and role, and the server's clock (the dashboard signs in with it)",
        tags: ['access'],
        response: { 200: Type.Object({ id: Type.String(), name: Type.String(), role: Type.Enum([...ROLES]), now: Type.String() }), ...KEYED_ERRORS },
      },
    },
    async (req) => {
      const ctx = contextOf(req)
      // the actor of a keyed request is `key:<id>:<name>` (authenticate.ts)
      const [, id = '', ...name] = ctx.actor.split(':')
      return { id, name: name.join(':'), role: ctx.role, now: formatInstant(s.infra.clock()) }
    },
  )
}
