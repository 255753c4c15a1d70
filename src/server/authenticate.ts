import type { FastifyReply, FastifyRequest } from 'fastify'
import { DialwardError } from '../core/errors.js'
import { requestContext, type RequestContext } from '../app/context.js'
import type { Services } from '../app/compose.js'
import type { Access } from './access.js'
import { errorBody } from './http-errors.js'
import { FailedAuthLimiter } from './failed-auth-limiter.js'
import { verifySmsSignature, type SmsSignatureConfig } from './sms-signature.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller, set by authentication (absent on public routes). */
    dialward?: RequestContext
  }
  interface FastifyContextConfig {
    /** Who may call the route (see access.ts). */
    access?: Access
  }
}

/** The request context of an authenticated request. */
export function contextOf(req: FastifyRequest): RequestContext {
  if (!req.dialward) throw new DialwardError('UNAUTHENTICATED', 'this route needs an API key')
  return req.dialward
}

/** The two authentication hooks of the server (see {@link authenticator}). */
export interface AuthHooks {
  /** Before the body is read: API keys (unauthenticated clients cost no body parsing). */
  readonly onRequest: (req: FastifyRequest, reply: FastifyReply) => Promise<void>
  /** After the body is parsed: provider signatures of `signed` routes (they cover the body). */
  readonly preValidation: (req: FastifyRequest, reply: FastifyReply) => Promise<void>
}

/**
 * Authentication: reads `Authorization: Bearer <key>`, resolves the key's role and checks it
 * against the route's access entry. No key, or an unknown, revoked or expired key → 401; a role
 * the route does not allow → 403. `signed` routes need the provider's signature instead when a
 * webhook secret is configured. Failures are recorded in the refusal log (who and which route,
 * never the presented key) and rate-limited per client address (429 with Retry-After).
 */
export function authenticator(services: Services, sms: SmsSignatureConfig, failuresPerMinute: number): AuthHooks {
  const limiter = new FailedAuthLimiter(failuresPerMinute)
  const refuse = async (req: FastifyRequest, reply: FastifyReply, err: DialwardError, actor: string): Promise<void> => {
    const now = services.infra.clock()
    if (err.code === 'UNAUTHENTICATED') {
      const wait = limiter.fail(req.ip, now)
      if (wait !== null) {
        await reply.header('retry-after', String(wait)).status(429).send(errorBody(new DialwardError('RATE_LIMITED', `too many failed authentications: retry after ${wait} s`)))
        return
      }
    }
    await services.infra.repos.refusals
      .record(services.infra.store.db, { at: now, actor, role: 'none', requestId: req.id, action: `http.${req.method.toLowerCase()} ${req.routeOptions.url ?? ''}`, code: err.code })
      .catch(() => undefined)
    await reply.status(err.httpStatus).send(errorBody(err))
  }
  const signedBySecret = (access: Access | undefined): boolean => access !== undefined && access !== 'public' && !Array.isArray(access) && sms.secret !== null
  return {
    onRequest: async (req, reply) => {
      const access = req.routeOptions.config.access
      if (access === undefined) {
        // unknown URLs (404) have no route options; registered routes always have an entry (checked at start)
        if (req.routeOptions.url === undefined) return
        await reply.status(500).send(errorBody(new DialwardError('INTERNAL', 'route without an access entry')))
        return
      }
      if (access === 'public' || signedBySecret(access)) return
      const roles: readonly string[] = Array.isArray(access) ? access : (access as { signed: readonly string[] }).signed
      const header = req.headers.authorization
      const presented = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : null
      const identity = presented === null ? null : await services.apiKeys.authenticate(presented)
      if (identity === null) {
        await refuse(req, reply, new DialwardError('UNAUTHENTICATED', presented === null ? 'send Authorization: Bearer <API key>' : 'the API key is unknown, revoked or expired'), 'anonymous')
        return
      }
      const actor = `key:${identity.id}:${identity.name}`
      if (!roles.includes(identity.role)) {
        await refuse(req, reply, new DialwardError('FORBIDDEN', `role ${identity.role} may not use this route`), actor)
        return
      }
      req.dialward = requestContext(actor, identity.role, req.id)
    },
    preValidation: async (req, reply) => {
      if (!signedBySecret(req.routeOptions.config.access)) return
      if (verifySmsSignature(sms, req)) {
        req.dialward = requestContext('webhook:sms', 'dialer', req.id)
        return
      }
      await refuse(req, reply, new DialwardError('UNAUTHENTICATED', 'the provider signature is missing or does not verify'), 'webhook:sms')
    },
  }
}
