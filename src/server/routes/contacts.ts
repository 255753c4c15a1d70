import { Type } from 'typebox'
import { maybeInstant, optionalText, requirePhone, requireText } from '../../app/input.js'
import type { Services } from '../../app/compose.js'
import type { Api } from '../api.js'
import { contextOf } from '../authenticate.js'
import { InstantText, KEYED_ERRORS, PhoneText } from '../schemas/common.js'

const Document = Type.Object({}, { additionalProperties: true })
const Limit = Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 }))

/**
 * Contact data over HTTP, as their commands: the stale list (`contacts stale`), the quarantine
 * (`contacts quarantine`), the reassigned-number query list (`reassigned due`) and the inventory
 * of personal data (`inventory`) — the first three decrypt numbers and are audited reads — and
 * corrections (`contacts correct`). Lead imports are with the other imports (imports.ts).
 */
export function contactRoutes(app: Api, s: Services): void {
  app.post(
    '/v1/contacts/corrections',
    {
      schema: {
        summary: "Correct one field of a number's contact records (rectification, audited; the replaced value is kept only sealed in the audit log)",
        description: '`value: null` removes the value. Without `purpose`, every contact of the number whose purpose keeps the field is corrected.',
        tags: ['contacts'],
        body: Type.Object(
          { phone: PhoneText, field: Type.String({ minLength: 1, maxLength: 100 }), value: Type.Union([Type.String({ maxLength: 1_000 }), Type.Null()]), purpose: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) },
          { additionalProperties: false },
        ),
        response: { 200: Document, 404: KEYED_ERRORS[400], ...KEYED_ERRORS },
      },
    },
    async (req) => {
      const b = req.body
      return s.contacts.correct(contextOf(req), { phone: requirePhone('phone', b.phone), field: requireText('field', b.field, 100), value: b.value === null ? null : requireText('value', b.value, 1_000), purpose: optionalText('purpose', b.purpose, 100) })
    },
  )
  app.get(
    '/v1/contacts/stale',
    {
      schema: {
        summary: 'Contacts whose data needs re-verification (the gate answers DATA_STALE for them); decrypted, audited',
        tags: ['contacts'],
        querystring: Type.Object({ purpose: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), at: Type.Optional(InstantText), limit: Limit }, { additionalProperties: false }),
        response: { 200: Document, 404: KEYED_ERRORS[400], ...KEYED_ERRORS },
      },
    },
    async (req) => s.contacts.stale(contextOf(req), { purpose: optionalText('purpose', req.query.purpose, 100), at: maybeInstant('at', req.query.at), limit: req.query.limit ?? 100_000 }),
  )
  app.get(
    '/v1/contacts/quarantine',
    {
      schema: {
        summary: 'Quarantined import rows with the reason; decrypted, audited',
        tags: ['contacts'],
        querystring: Type.Object({ limit: Limit }, { additionalProperties: false }),
        response: { 200: Document, ...KEYED_ERRORS },
      },
    },
    async (req) => s.contacts.quarantine(contextOf(req), { limit: Math.max(1, req.query.limit ?? 1_000) }),
  )
  app.get(
    '/v1/reassigned/due',
    {
      schema: {
        summary: 'Numbers whose consent is not yet checked against the Reassigned Numbers Database, with the date to query; decrypted, audited',
        tags: ['contacts'],
        querystring: Type.Object({ campaign: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), at: Type.Optional(InstantText), checkedSince: Type.Optional(InstantText), limit: Limit }, { additionalProperties: false }),
        response: { 200: Document, 404: KEYED_ERRORS[400], ...KEYED_ERRORS },
      },
    },
    async (req) =>
      s.reassignedWorkflow.due(contextOf(req), { campaign: optionalText('campaign', req.query.campaign, 200), at: maybeInstant('at', req.query.at), checkedSince: maybeInstant('checkedSince', req.query.checkedSince), limit: req.query.limit ?? 100_000 }),
  )
  app.get(
    '/v1/inventory',
    {
      schema: {
        summary: 'Categories of personal data held, purposes, subjects, oldest records and next deletions (counts and dates only)',
        tags: ['contacts'],
        querystring: Type.Object({ at: Type.Optional(InstantText) }, { additionalProperties: false }),
        response: { 200: Document, ...KEYED_ERRORS },
      },
    },
    async (req) => s.retention.inventory(contextOf(req), { at: maybeInstant('at', req.query.at) }),
  )
}
