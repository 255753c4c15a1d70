import { formatInstant } from '../../core/time/instant.js'
import { DialwardError, invalidInput } from '../../core/errors.js'
import { writeTransaction } from '../../store/write-transaction.js'
import { appendAudit } from '../audit/audit-trail.js'
import { optionalInstant, optionalText, requireInstant, requireText } from '../input.js'
import type { App } from '../open-app.js'
import { EMERGENCIES_KEY, loadEmergencies, type EmergencyDeclaration } from '../gate/emergencies.js'

export interface EmergencyInput {
  [flag: string]: unknown
  region?: unknown
  from?: unknown
  until?: unknown
  at?: unknown
  reason?: unknown
}

function region(value: unknown): string {
  const r = requireText('--region', value, 10).trim().toUpperCase()
  if (!/^[A-Z]{2}-[A-Z0-9]{1,3}$/.test(r)) throw invalidInput('--region', 'must be a region code such as US-LA')
  return r
}

/** Declares a state of emergency for a region: rules with an emergency ban (Louisiana) then block with `EMERGENCY`. */
export async function declareEmergency(app: App, input: EmergencyInput): Promise<EmergencyDeclaration> {
  const declaration: EmergencyDeclaration = {
    region: region(input.region),
    from: optionalInstant('--from', input.from, app.now()),
    until: input.until === undefined ? null : requireInstant('--until', input.until),
    reason: optionalText('--reason', input.reason, 1_000),
  }
  if (declaration.until !== null && declaration.until <= declaration.from) throw invalidInput('--until', 'must be after --from')
  return saveWith(app, 'emergency.declare', declaration, (all) => [...all, declaration])
}

/** Ends the open declarations of a region at an instant. */
export async function endEmergency(app: App, input: EmergencyInput): Promise<EmergencyDeclaration> {
  const r = region(input.region)
  const at = optionalInstant('--at', input.at, app.now())
  const all = await loadEmergencies(app.db)
  const open = all.filter((e) => e.region === r && e.from <= at && (e.until === null || e.until > at))
  if (open.length === 0) throw new DialwardError('not-found', 'NO_EMERGENCY', `--region: no open emergency for ${r} at ${formatInstant(at)}`)
  const ended = { ...open[0]!, until: at }
  return saveWith(app, 'emergency.end', ended, (list) => list.map((e) => (open.includes(e) ? { ...e, until: at } : e)))
}

async function saveWith(
  app: App,
  action: string,
  declaration: EmergencyDeclaration,
  change: (all: EmergencyDeclaration[]) => EmergencyDeclaration[],
): Promise<EmergencyDeclaration> {
  const now = app.now()
  await writeTransaction(app.db, app.dialect, async (trx) => {
    const next = JSON.stringify(change(await loadEmergencies(trx)))
    await trx.deleteFrom('settings').where('key', '=', EMERGENCIES_KEY).execute()
    await trx.insertInto('settings').values({ key: EMERGENCIES_KEY, value: next }).execute()
    await appendAudit(trx, app.dialect, app.config.actor, now, {
      action,
      subject: null,
      data: {
        region: declaration.region,
        from: formatInstant(declaration.from),
        until: declaration.until === null ? null : formatInstant(declaration.until),
        reason: declaration.reason,
      },
    })
  })
  return declaration
}
