import { DAY, formatInstant } from '../../core/time/instant.js'
import { optionalInstant } from '../input.js'
import type { App } from '../open-app.js'
import { getCampaign } from './campaign-add.js'
import { abandonmentStatsFor } from '../gate/gate-session.js'

export interface AbandonmentReportInput {
  [flag: string]: unknown
  campaign?: unknown
  at?: unknown
}

/** US limit: at most 3% of live-answered calls abandoned per campaign over 30 days (47 CFR 64.1200(a)(7)). */
export const US_ABANDON_LIMIT_PERCENT = 3

/** A campaign's abandonment rate over the 30 days up to `--at` (the figure `ABANDON_RATE` is judged on). */
export async function abandonmentReport(app: App, input: AbandonmentReportInput): Promise<Record<string, unknown>> {
  const campaign = await getCampaign(app, input.campaign)
  const at = optionalInstant('--at', input.at, app.now())
  const stats = await abandonmentStatsFor(app.db, campaign.id, at)
  const rate = stats.liveAnswered === 0 ? 0 : (stats.abandoned * 100) / stats.liveAnswered
  return {
    campaign: campaign.id,
    dialing: campaign.dialing,
    from: formatInstant(at - 30 * DAY),
    to: formatInstant(at),
    liveAnswered: stats.liveAnswered,
    abandoned: stats.abandoned,
    ratePercent: Math.round(rate * 100) / 100,
    limitPercent: US_ABANDON_LIMIT_PERCENT,
    overLimit: campaign.dialing !== 'manual' && stats.abandoned * 100 > US_ABANDON_LIMIT_PERCENT * stats.liveAnswered,
    rule: 'US abandonment rate at most 3% of live-answered calls per campaign per 30 days, 47 CFR 64.1200(a)(7); 16 CFR 310.4(b)(4)(i)',
  }
}
