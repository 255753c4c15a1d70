import { Type } from 'typebox'
import { CAMPAIGN_CHANNELS, DIALING_MODES, PURPOSES } from '../../core/gate/campaign.js'
import { CONSENT_CHANNELS, CONSENT_KINDS, REVOCATION_VIA } from '../../core/consent/consent-event.js'
import { CALL_OUTCOMES } from '../../app/services/calls.js'
import { maybeInstant, optionalIp, optionalName, optionalText, requireDate, requirePhone } from '../../app/input.js'
import type { Services } from '../../app/compose.js'
import type { Api } from '../api.js'
import { contextOf } from '../authenticate.js'
import { InstantText, KEYED_ERRORS, PhoneText, SellerName } from '../schemas/common.js'
import { clientIp, userAgentOf } from '../client.js'

const literals = <T extends string>(values: readonly T[]) => Type.Enum([...values])
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()])

const CampaignDoc = Type.Object({ id: Type.String(), seller: Type.String(), sellerKey: Type.String(), purpose: Type.String(), dialing: Type.String(), channel: Type.String() })
const Id = Type.Object({ id: Type.String() }, { additionalProperties: true })

/**
 * The routes that record facts: campaigns, consent grants (web-form capture with the client's
 * address and user agent and third-party certificates), revocations, do-not-call requests,
 * reassigned-number results, calls, emergencies. Each is the HTTP form of a CLI command, over the
 * same service.
 */
export function factRoutes(app: Api, s: Services): void {
  app.get('/v1/campaigns', { schema: { summary: 'Registered campaigns', tags: ['campaigns'], response: { 200: Type.Object({ campaigns: Type.Array(CampaignDoc) }), ...KEYED_ERRORS } } }, async () => ({
    campaigns: await s.campaigns.list(),
  }))

  app.post(
    '/v1/campaigns',
    {
      schema: {
        summary: 'Register a campaign (the same id again with the same attributes changes nothing; other attributes are refused)',
        tags: ['campaigns'],
        body: Type.Object(
          { id: Type.String({ minLength: 1, maxLength: 200 }), seller: SellerName, purpose: literals(PURPOSES), dialing: literals(DIALING_MODES), channel: Type.Optional(literals(CAMPAIGN_CHANNELS)) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ campaign: CampaignDoc, created: Type.Boolean() }), 409: KEYED_ERRORS[400], ...KEYED_ERRORS },
      },
    },
    async (req) => {
      const b = req.body
      return s.campaigns.add(contextOf(req), { id: b.id, seller: b.seller.trim(), purpose: b.purpose, dialing: b.dialing, channel: b.channel ?? 'voice' })
    },
  )

  app.post(
    '/v1/consents',
    {
      bodyLimit: 512 * 1024,
      schema: {
        summary: 'Record a grant of consent, with its evidence (web-form capture)',
        description:
          'The client address and user agent are taken from the request (X-Forwarded-For only from configured trusted proxies) unless `ip`/`userAgent` give the consumer\'s when a backend relays the form. Every evidence field is sealed under the subject\'s key.',
        tags: ['consent'],
        body: Type.Object(
          {
            phone: PhoneText,
            seller: SellerName,
            kind: literals(CONSENT_KINDS),
            at: Type.Optional(InstantText),
            channel: Type.Optional(literals(CONSENT_CHANNELS)),
            disclosure: Type.Optional(Type.String({ maxLength: 100_000, description: 'The exact disclosure text shown to the consumer' })),
            pageUrl: Type.Optional(Type.String({ maxLength: 4_000, description: 'The page the consent was captured on' })),
            ip: Type.Optional(Type.String({ maxLength: 64 })),
            userAgent: Type.Optional(Type.String({ maxLength: 4_000 })),
            trustedFormCertUrl: Type.Optional(Type.String({ maxLength: 500, description: 'ActiveProspect TrustedForm certificate URL' })),
            leadIdToken: Type.Optional(Type.String({ maxLength: 200, description: 'Jornaya LeadiD token' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Id, ...KEYED_ERRORS },
      },
    },
    async (req) => {
      const b = req.body
      return s.consent.grant(contextOf(req), {
        phone: requirePhone('phone', b.phone),
        seller: b.seller.trim(),
        kind: b.kind,
        at: maybeInstant('at', b.at),
        channel: b.channel ?? 'any',
        disclosure: optionalText('disclosure', b.disclosure, 100_000),
        source: optionalText('pageUrl', b.pageUrl, 4_000),
        ip: optionalIp('ip', b.ip ?? clientIp(req)),
        userAgent: optionalText('userAgent', b.userAgent ?? userAgentOf(req), 4_000),
        trustedForm: optionalText('trustedFormCertUrl', b.trustedFormCertUrl, 500),
        leadId: optionalText('leadIdToken', b.leadIdToken, 200),
      })
    },
  )

  app.post(
    '/v1/consents/revocations',
    {
      schema: {
        summary: 'Record a revocation (also a do-not-call request); without a seller it covers every seller',
        tags: ['consent'],
        body: Type.Object(
          { phone: PhoneText, at: Type.Optional(InstantText), seller: Type.Optional(SellerName), via: Type.Optional(literals(REVOCATION_VIA)), words: Type.Optional(Type.String({ maxLength: 4_000 })) },
          { additionalProperties: false },
        ),
        response: { 200: Id, ...KEYED_ERRORS },
      },
    },
    async (req) => {
      const b = req.body
      return s.consent.revoke(contextOf(req), { phone: requirePhone('phone', b.phone), at: maybeInstant('at', b.at), seller: optionalName('seller', b.seller), via: b.via ?? null, words: optionalText('words', b.words, 4_000) })
    },
  )

  app.post(
    '/v1/dnc',
    {
      schema: {
        summary: 'Record a company-specific do-not-call request; without a seller it covers every seller',
        tags: ['do-not-call'],
        body: Type.Object({ phone: PhoneText, at: Type.Optional(InstantText), seller: Type.Optional(SellerName), source: Type.Optional(Type.String({ maxLength: 4_000 })) }, { additionalProperties: false }),
        response: { 200: Id, ...KEYED_ERRORS },
      },
    },
    async (req) => {
      const b = req.body
      return s.dnc.add(contextOf(req), { phone: requirePhone('phone', b.phone), at: maybeInstant('at', b.at), seller: optionalName('seller', b.seller), source: optionalText('source', b.source, 4_000) })
    },
  )

  app.post(
    '/v1/reassigned',
    {
      schema: {
        summary: 'Record a Reassigned Numbers Database result',
        tags: ['accuracy'],
        body: Type.Object({ phone: PhoneText, date: InstantText, result: literals(['yes', 'no', 'no-data'] as const), queriedAt: Type.Optional(InstantText) }, { additionalProperties: false }),
        response: { 200: Id, ...KEYED_ERRORS },
      },
    },
    async (req) => {
      const b = req.body
      return s.reassigned.record(contextOf(req), { phone: requirePhone('phone', b.phone), date: requireDate('date', b.date), result: b.result, queriedAt: maybeInstant('queriedAt', b.queriedAt) })
    },
  )

  app.post(
    '/v1/calls',
    {
      schema: {
        summary: 'Record a call attempt (frequency caps and abandonment rates count it)',
        tags: ['calls'],
        body: Type.Object(
          { phone: PhoneText, campaign: Type.String({ minLength: 1, maxLength: 200 }), at: Type.Optional(InstantText), outcome: literals(CALL_OUTCOMES), duration: Type.Optional(Type.Number({ minimum: 0, maximum: 86_400 })) },
          { additionalProperties: false },
        ),
        response: { 200: Id, ...KEYED_ERRORS },
      },
    },
    async (req) => {
      const b = req.body
      return s.calls.record(contextOf(req), { phone: requirePhone('phone', b.phone), campaign: b.campaign, at: maybeInstant('at', b.at), outcome: b.outcome, durationSeconds: b.duration ?? null })
    },
  )

  const Declaration = Type.Object({ region: Type.String(), from: Type.String(), until: Nullable(Type.String()), reason: Nullable(Type.String()) })
  const view = (d: { region: string; from: number; until: number | null; reason: string | null }) => ({
    region: d.region,
    from: new Date(d.from).toISOString(),
    until: d.until === null ? null : new Date(d.until).toISOString(),
    reason: d.reason,
  })
  const Region = Type.String({ pattern: '^[A-Za-z]{2}-[A-Za-z0-9]{1,3}$', description: 'Region code such as US-LA' })
  app.get('/v1/emergencies', { schema: { summary: 'Declared states of emergency', tags: ['rules'], response: { 200: Type.Object({ emergencies: Type.Array(Declaration) }), ...KEYED_ERRORS } } }, async () => ({
    emergencies: (await s.emergencies.list()).map(view),
  }))
  app.post(
    '/v1/emergencies',
    {
      schema: {
        summary: 'Declare a state of emergency for a region (Louisiana bans marketing calls during one)',
        tags: ['rules'],
        body: Type.Object({ region: Region, from: Type.Optional(InstantText), until: Type.Optional(InstantText), reason: Type.Optional(Type.String({ maxLength: 1_000 })) }, { additionalProperties: false }),
        response: { 200: Declaration, ...KEYED_ERRORS },
      },
    },
    async (req) => {
      const b = req.body
      return view(await s.emergencies.declare(contextOf(req), { region: b.region.toUpperCase(), from: maybeInstant('from', b.from), until: maybeInstant('until', b.until) ?? null, reason: optionalText('reason', b.reason, 1_000) }))
    },
  )
  app.post(
    '/v1/emergencies/end',
    { schema: { summary: 'End the open emergency of a region', tags: ['rules'], body: Type.Object({ region: Region, at: Type.Optional(InstantText) }, { additionalProperties: false }), response: { 200: Declaration, 404: KEYED_ERRORS[400], ...KEYED_ERRORS } } },
    async (req) => view(await s.emergencies.end(contextOf(req), req.body.region.toUpperCase(), maybeInstant('at', req.body.at))),
  )

  app.get(
    '/v1/reports/abandonment',
    {
      schema: {
        summary: "A campaign's abandonment rate over the 30 days up to an instant",
        tags: ['reports'],
        querystring: Type.Object({ campaign: Type.String({ minLength: 1, maxLength: 200 }), at: Type.Optional(InstantText) }),
        response: { 200: Type.Object({}, { additionalProperties: true }), ...KEYED_ERRORS },
      },
    },
    async (req) => s.calls.abandonment(req.query.campaign, maybeInstant('at', req.query.at)),
  )
}
