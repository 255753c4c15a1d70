import type { FastifyRequest } from 'fastify'

/**
 * The client's address: the socket peer, or — only when trusted proxies are configured, which
 * fastify applies through `trustProxy` — the first untrusted address of `X-Forwarded-For`.
 */
export function clientIp(req: FastifyRequest): string {
  return req.ip.startsWith('::ffff:') ? req.ip.slice(7) : req.ip
}

/** The request's `User-Agent`, if any. */
export function userAgentOf(req: FastifyRequest): string | undefined {
  const ua = req.headers['user-agent']
  return typeof ua === 'string' && ua !== '' ? ua : undefined
}
