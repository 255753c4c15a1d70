import { Type } from 'typebox'
import type { FastifyReply } from 'fastify'
import { maybeInstant, optionalName, requireText } from '../../app/input.js'
import type { Services } from '../../app/compose.js'
import type { DialerList } from '../../app/services/dialer-lists.js'
import { LIST_FORMATS } from '../../core/contacts/list-format.js'
import type { Api } from '../api.js'
import { contextOf } from '../authenticate.js'
import { InstantText, KEYED_ERRORS, SellerName } from '../schemas/common.js'

const Format = Type.Optional(Type.Enum([...LIST_FORMATS], { description: 'csv (default) or vicidial' }))

/** JSON with every character outside printable ASCII escaped (a header value must be plain bytes). */
const asciiJson = (value: unknown): string => JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

/** Sends a list as a CSV attachment; its summary (the CLI's `--json` document: counts and names, no number) goes in a header. */
function sendList(reply: FastifyReply, list: DialerList<object>, filename: string): FastifyReply {
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('x-dialward-summary', asciiJson(list.result))
    .send(list.body)
}

/**
 * Lists for dialers over HTTP, as `export-list` and `dnc export` write them: the contacts the
 * gate allows for a campaign at an instant (every decision logged), with only the fields the
 * campaign's data purpose keeps, and the company do-not-call list. The answer is the file itself;
 * its summary is the `X-Dialward-Summary` header.
 */
export function dialerListRoutes(app: Api, s: Services): void {
  app.get(
    '/v1/export-list',
    {
      schema: {
        summary: "The contacts the gate allows for a campaign at an instant, with only the fields the campaign's data purpose keeps (a CSV or VICIdial list; every decision logged)",
        tags: ['contacts'],
        querystring: Type.Object({ campaign: Type.String({ minLength: 1, maxLength: 200 }), format: Format, at: Type.Optional(InstantText) }, { additionalProperties: false }),
        produces: ['text/csv'],
        response: { 404: KEYED_ERRORS[400], ...KEYED_ERRORS },
      },
    },
    async (req, reply) => {
      const q = req.query
      const list = await s.lists.exportList(contextOf(req), { campaign: requireText('campaign', q.campaign, 200), format: q.format ?? 'csv', at: maybeInstant('at', q.at) })
      return sendList(reply, list, `${list.result.campaign}.${list.result.format}.csv`)
    },
  )
  app.get(
    '/v1/dnc/export',
    {
      schema: {
        summary: "The company do-not-call list for a dialer (vicidial: one number a line, as VICIdial's DNC loader takes it)",
        tags: ['do-not-call'],
        querystring: Type.Object({ format: Format, seller: Type.Optional(SellerName) }, { additionalProperties: false }),
        produces: ['text/csv'],
        response: KEYED_ERRORS,
      },
    },
    async (req, reply) => {
      const q = req.query
      const list = await s.lists.exportDnc(contextOf(req), { format: q.format ?? 'csv', seller: optionalName('seller', q.seller) })
      return sendList(reply, list, `dnc.${list.result.format}.csv`)
    },
  )
}
