import { Type } from 'typebox'
import { REASON_CODES } from '../../core/gate/reason.js'
import { maybeInstant } from '../../app/input.js'
import type { Services } from '../../app/compose.js'
import type { Api } from '../api.js'
import { InstantText, KEYED_ERRORS } from '../schemas/common.js'

const Window = Type.Object({
  at: Type.Optional(InstantText),
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 30, description: 'UTC days ending with the day of `at` (default 30)' })),
})
const Counts = (description: string) => Type.Record(Type.String(), Type.Integer(), { description: `${description} (${REASON_CODES.join(', ')}); codes with none are left out` })
const Nullable = <T extends ReturnType<typeof Type.Number>>(t: T) => Type.Union([t, Type.Null()])

const DecisionReport = Type.Object({
  from: Type.String(),
  to: Type.String(),
  days: Type.Array(Type.Object({ date: Type.String(), allow: Type.Integer(), block: Type.Integer(), reasons: Counts('Blocked decisions carrying each reason code') })),
  totals: Type.Object({ allow: Type.Integer(), block: Type.Integer(), reasons: Counts('Blocked decisions carrying each reason code') }),
})

const CoverageReport = Type.Object({
  from: Type.String(),
  to: Type.String(),
  campaigns: Type.Array(
    Type.Object({
      campaign: Type.String(),
      seller: Type.String(),
      purpose: Type.String(),
      dialing: Type.String(),
      consentRequired: Type.Boolean(),
      numbers: Type.Integer({ description: 'Distinct numbers checked in the window' }),
      covered: Type.Integer({ description: 'Of them, those whose latest check found the consent the campaign needs' }),
      coveragePercent: Nullable(Type.Number()),
      lacking: Type.Object({ NO_CONSENT: Type.Integer(), CONSENT_REVOKED: Type.Integer(), REASSIGNED_NUMBER: Type.Integer() }),
    }),
  ),
})

const Abandonment = Type.Object({
  campaign: Type.String(),
  dialing: Type.String(),
  from: Type.String(),
  to: Type.String(),
  liveAnswered: Type.Integer(),
  abandoned: Type.Integer(),
  ratePercent: Type.Number(),
  limitPercent: Type.Number(),
  overLimit: Type.Boolean(),
  rule: Type.String(),
})
const SeriesReport = Type.Object({
  from: Type.String(),
  to: Type.String(),
  limitPercent: Type.Number(),
  campaigns: Type.Array(
    Type.Object({
      campaign: Type.String(),
      dialing: Type.String(),
      current: Abandonment,
      points: Type.Array(Type.Object({ date: Type.String(), liveAnswered: Type.Integer(), abandoned: Type.Integer(), ratePercent: Type.Number() })),
    }),
  ),
})

/**
 * The dashboard's overview reports: decisions by UTC day, verdict and reason; consent coverage
 * per campaign; abandonment per campaign day by day over its 30-day period. Read-only, no PII.
 */
export function reportRoutes(app: Api, s: Services): void {
  const window = (q: { at?: string | undefined; days?: number | undefined }) => ({ at: maybeInstant('at', q.at), days: q.days ?? 30 })
  app.get(
    '/v1/reports/decisions',
    { schema: { summary: 'Decisions per UTC day by verdict, and blocked decisions by reason code', tags: ['reports'], querystring: Window, response: { 200: DecisionReport, ...KEYED_ERRORS } } },
    async (req) => s.reports.decisions(window(req.query)),
  )
  app.get(
    '/v1/reports/consent-coverage',
    {
      schema: {
        summary: 'Per campaign: of the numbers checked in the window, the share whose latest check found the consent the campaign needs',
        tags: ['reports'],
        querystring: Window,
        response: { 200: CoverageReport, ...KEYED_ERRORS },
      },
    },
    async (req) => s.reports.consentCoverage(window(req.query)),
  )
  app.get(
    '/v1/reports/abandonment/series',
    {
      schema: {
        summary: "Per campaign: the abandonment rate over the 30 days ending with each day of the window, and the rate judged now",
        tags: ['reports'],
        querystring: Window,
        response: { 200: SeriesReport, ...KEYED_ERRORS },
      },
    },
    async (req) => s.reports.abandonmentSeries(window(req.query)),
  )
}
