import { DAY } from '../../core/time/instant.js'
import { invalidInput } from '../../core/errors.js'
import { optionalInstant } from '../input.js'
import type { App } from '../open-app.js'
import { forecast, type Forecast } from '../retention/forecast.js'
import { policyFor } from './retention-run.js'

/** `retention forecast`: what will be deleted when, from `--at` (default now) to `--until` (default one year later). */
export async function retentionForecast(app: App, input: { [flag: string]: unknown; at?: unknown; until?: unknown; policy?: unknown }): Promise<Forecast> {
  const loaded = policyFor(app, input)
  const at = optionalInstant('--at', input.at, app.now())
  const until = optionalInstant('--until', input.until, at + 366 * DAY)
  if (until < at) throw invalidInput('--until', 'must not be before --at')
  return forecast(app, loaded.policy, at, until)
}
