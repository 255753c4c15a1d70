import { Type, type Static } from 'typebox'
import { DialwardError } from '../../core/errors.js'
import type { RequestContext } from '../../app/context.js'
import { addressHint, maybeInstant } from '../../app/input.js'
import type { Services } from '../../app/compose.js'
import type { Api } from '../api.js'
import type { ServerMetrics } from '../metrics.js'
import type { CheckResult } from '../../app/services/gate.js'
import { contextOf } from '../authenticate.js'
import { CheckDocument, InstantText, KEYED_ERRORS, PhoneText } from '../schemas/common.js'

const State = Type.String({ maxLength: 10, description: "Consumer's address state or province (FL, ON)" })
const Zip = Type.String({ maxLength: 10, description: "Consumer's ZIP code" })

const Single = Type.Object(
  { campaign: Type.String({ minLength: 1, maxLength: 200 }), phone: PhoneText, at: Type.Optional(InstantText), state: Type.Optional(State), zip: Type.Optional(Zip) },
  { additionalProperties: false },
)
const Batch = Type.Object(
  {
    campaign: Type.String({ minLength: 1, maxLength: 200 }),
    at: Type.Optional(InstantText),
    numbers: Type.Array(Type.Object({ phone: PhoneText, state: Type.Optional(State), zip: Type.Optional(Zip) }, { additionalProperties: false }), { minItems: 1, maxItems: 1000 }),
  },
  { additionalProperties: false },
)

/** `POST /v1/check`: one number (the `check --json` document) or up to 1,000 (`{ results }`, in order). */
export function checkRoutes(app: Api, s: Services, metrics: ServerMetrics): void {
  const count = (r: CheckResult): void => {
    metrics.decisions.inc({ verdict: r.verdict })
    for (const reason of r.reasons) metrics.reasons.inc({ code: reason.code })
  }
  app.post(
    '/v1/check',
    {
      bodyLimit: 256 * 1024,
      schema: {
        summary: 'May these numbers be called now, for this campaign?',
        description: 'Every reason that blocks, each with its rule and citation, and the next allowed instant. Every decision is written to the decision log before the answer is sent.',
        tags: ['gate'],
        body: Type.Union([Single, Batch]),
        response: { 200: Type.Union([CheckDocument, Type.Object({ results: Type.Array(CheckDocument) })]), ...KEYED_ERRORS },
      },
    },
    async (req) => {
      const ctx = contextOf(req)
      // fail closed: without the database or the keys the gate refuses (503), it never answers allow
      await s.health.require()
      try {
        return await decide(req.body, ctx)
      } catch (err) {
        // the database went away since readiness was last examined: 503 (not 500) when it says so now
        if (!(err instanceof DialwardError)) await s.health.require(true)
        throw err
      }
    },
  )
  const decide = async (body: Static<typeof Single> | Static<typeof Batch>, ctx: RequestContext): Promise<CheckResult | { results: CheckResult[] }> => {
    const at = maybeInstant('at', body.at)
    if ('numbers' in body) {
      const numbers = body.numbers.map((n, i) => ({ phone: n.phone, address: addressHint(n.state, n.zip, { state: `numbers.${i}.state`, zip: `numbers.${i}.zip` }) }))
      const results = await s.gate.checkMany(ctx, { campaign: body.campaign, at, numbers })
      results.forEach(count)
      return { results }
    }
    const result = await s.gate.check(ctx, { campaign: body.campaign, phone: body.phone, at, address: addressHint(body.state, body.zip) })
    count(result)
    return result
  }
}
