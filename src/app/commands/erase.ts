import { optionalInstant, requirePhone } from '../input.js'
import type { App } from '../open-app.js'
import { eraseSubject } from '../retention/erase-subject.js'
import type { StepHook } from '../retention/finish-run.js'
import { policyFor } from './retention-run.js'

/** `erase`: a data-subject erasure request (see eraseSubject). No PII in the result. */
export async function erase(app: App, input: { [flag: string]: unknown; phone?: unknown; at?: unknown; policy?: unknown }, onStep?: StepHook): Promise<Record<string, unknown>> {
  const phone = requirePhone('--phone', input.phone)
  const loaded = policyFor(app, input)
  const at = optionalInstant('--at', input.at, app.now())
  const r = await eraseSubject(app, phone, at, loaded, onStep)
  return {
    runId: r.runId,
    at: r.at,
    subject: r.receiptDocument['subject'],
    deleted: r.summary.records,
    keysDestroyed: r.summary.keysDestroyed.length,
    suppressionEntriesAdded: r.summary.suppressionEntriesAdded,
    kept: r.summary.kept,
    receipt: r.receipt,
    physicalScrubComplete: r.scrubComplete,
  }
}
