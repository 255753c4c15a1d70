import { createHmac, timingSafeEqual } from 'node:crypto'
import type { FastifyRequest } from 'fastify'

/** Verification of SMS provider webhooks: the shared secret and the URL the provider posts to. */
export interface SmsSignatureConfig {
  /** `DIALWARD_SMS_WEBHOOK_SECRET`; when set, unsigned or wrongly signed posts are refused. */
  readonly secret: string | null
  /** `DIALWARD_SMS_WEBHOOK_URL`: the public URL configured at the provider (signatures cover it); default: as requested. */
  readonly publicUrl: string | null
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The raw body of a webhook post, kept for signature verification. */
    rawBody?: Buffer
  }
}

const equal = (a: string, b: string): boolean => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/**
 * Whether a webhook post carries a valid provider signature:
 * - form-encoded (Twilio and compatible): `X-Twilio-Signature` = base64 HMAC-SHA1 over the URL
 *   followed by every parameter name and value, names sorted;
 * - JSON: `X-Dialward-Signature: sha256=<hex>` = HMAC-SHA256 over the raw body.
 */
export function verifySmsSignature(config: SmsSignatureConfig, req: FastifyRequest): boolean {
  if (config.secret === null) return false
  const url = config.publicUrl ?? `${req.protocol}://${req.host}${req.url}`
  const twilio = req.headers['x-twilio-signature']
  if (typeof twilio === 'string' && req.body !== null && typeof req.body === 'object' && !req.rawBody) {
    return equal(twilio, twilioSignature(config.secret, url, req.body as Record<string, unknown>))
  }
  const generic = req.headers['x-dialward-signature']
  if (typeof generic === 'string' && req.rawBody) {
    return equal(generic, `sha256=${createHmac('sha256', config.secret).update(req.rawBody).digest('hex')}`)
  }
  return false
}

/** The Twilio request signature of a form post (exported for tests and client examples). */
export function twilioSignature(secret: string, url: string, params: Record<string, unknown>): string {
  let data = url
  for (const name of Object.keys(params).sort()) {
    const v = params[name]
    for (const value of Array.isArray(v) ? v : [v]) data += `${name}${String(value)}`
  }
  return createHmac('sha1', secret).update(data, 'utf8').digest('base64')
}
