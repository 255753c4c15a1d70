import { requirePhone } from '../input.js'
import type { App } from '../open-app.js'
import { exportSubject } from '../retention/export-subject.js'
import { policyFor } from './retention-run.js'

/** `export`: everything stored about a number, decrypted (an access request); audited, with a receipt. */
export async function exportPerson(app: App, input: { [flag: string]: unknown; phone?: unknown; policy?: unknown }): Promise<Record<string, unknown>> {
  const phone = requirePhone('--phone', input.phone)
  return (await exportSubject(app, phone, policyFor(app, input))).document
}
