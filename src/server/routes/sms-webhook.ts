import { Type } from 'typebox'
import { optOutKeyword } from '../../core/consent/opt-out-words.js'
import { normalizePhone } from '../../core/phone/normalize.js'
import { DialwardError } from '../../core/errors.js'
import type { Services } from '../../app/compose.js'
import type { Api } from '../api.js'
import { contextOf } from '../authenticate.js'
import { KEYED_ERRORS } from '../schemas/common.js'

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'

/**
 * `POST /v1/webhooks/sms`: an SMS reply as providers post it (form-encoded `From`, `To`, `Body`,
 * as Twilio and compatible providers send) or as JSON (`{ from, to, body }`). A reply containing
 * an opt-out keyword (STOP, QUIT, END, REVOKE, OPT OUT, CANCEL, UNSUBSCRIBE — any case, within
 * other text) revokes consent for every seller on the sender's number at once, keeping the words
 * as evidence (sealed). Other replies are acknowledged and ignored. Form posts are answered with
 * empty TwiML so the provider sends nothing back.
 */
export function smsWebhookRoutes(app: Api, s: Services): void {
  // keep the raw JSON body for signature verification (this scope only)
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 64 * 1024 }, (req, body, done) => {
    try {
      req.rawBody = body as Buffer
      done(null, JSON.parse((body as Buffer).toString('utf8')))
    } catch {
      done(new DialwardError('INVALID_INPUT', 'is not valid JSON', 'body'), undefined)
    }
  })
  app.post(
    '/v1/webhooks/sms',
    {
      bodyLimit: 64 * 1024,
      schema: {
        summary: 'Inbound SMS replies: opt-out keywords revoke consent for every seller at once',
        description: 'Form-encoded (From, To, Body) or JSON ({ from, to, body }). With DIALWARD_SMS_WEBHOOK_SECRET set, posts must carry the provider signature (X-Twilio-Signature, or X-Dialward-Signature: sha256=<HMAC of the raw JSON body>); otherwise an API key is required.',
        tags: ['consent'],
        body: Type.Union([
          Type.Object({ From: Type.String({ maxLength: 100 }), To: Type.Optional(Type.String({ maxLength: 100 })), Body: Type.String({ maxLength: 4_000 }) }, { additionalProperties: true }),
          Type.Object({ from: Type.String({ maxLength: 100 }), to: Type.Optional(Type.String({ maxLength: 100 })), body: Type.String({ maxLength: 4_000 }) }, { additionalProperties: false }),
        ]),
        response: { 200: Type.Object({ action: Type.Enum(['revoked', 'ignored']), keyword: Type.Union([Type.String(), Type.Null()]), revocation: Type.Union([Type.String(), Type.Null()]) }), ...KEYED_ERRORS },
      },
    },
    async (req, reply) => {
      const b = req.body as Record<string, string>
      const form = 'From' in b
      const from = form ? b['From']! : b['from']!
      const text = form ? b['Body']! : b['body']!
      const keyword = optOutKeyword(text)
      const normalized = normalizePhone(from)
      if (!normalized.ok) throw new DialwardError('INVALID_INPUT', `is not a valid telephone number (${normalized.reason})`, form ? 'From' : 'from')
      let revocation: string | null = null
      if (keyword !== null) {
        const r = await s.consent.revoke(contextOf(req), { phone: normalized.phone, seller: null, via: 'sms', words: text })
        revocation = r.id
      }
      const result = { action: keyword === null ? ('ignored' as const) : ('revoked' as const), keyword, revocation }
      if (form && req.headers.accept?.includes('application/json') !== true) return reply.header('content-type', 'text/xml; charset=utf-8').send(EMPTY_TWIML as never)
      return result
    },
  )
}
