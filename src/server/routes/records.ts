import { Type } from 'typebox'
import { invalidInput } from '../../core/errors.js'
import { maybeInstant, optionalName, requirePhone } from '../../app/input.js'
import type { Services } from '../../app/compose.js'
import type { HoldScopeInput } from '../../app/services/holds.js'
import type { Api } from '../api.js'
import { contextOf } from '../authenticate.js'
import { InstantText, KEYED_ERRORS, PhoneText, SellerName } from '../schemas/common.js'

/** A document whose shape is given in docs/reference (audit.md, retention.md): serialized as built. */
const Document = (description: string) => Type.Object({}, { additionalProperties: true, description })
const HoldView = Type.Object({
  id: Type.String(),
  scope: Type.Enum(['phone', 'seller', 'campaign', 'all']),
  target: Type.Union([Type.String(), Type.Null()]),
  reason: Type.String(),
  createdAt: Type.String(),
  until: Type.Union([Type.String(), Type.Null()]),
  releasedAt: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
})

/**
 * The routes over the proof and retention services — audit verification and proofs, evidence
 * (JSON or a signed ZIP package; the read is audited), retention policy, forecast, purge runs,
 * legal holds, erasure and access requests, key inventory and rotation — each the HTTP form of a
 * CLI command over the same service.
 */
export function recordRoutes(app: Api, s: Services): void {
  app.get(
    '/v1/audit/verify',
    { schema: { summary: 'Recompute the audit log and check every signed checkpoint', description: 'Never fails for tampering: the report says what was found (`ok: false`, the first bad entry).', tags: ['audit'], response: { 200: Document('The `audit verify --json` report'), ...KEYED_ERRORS } } },
    async (req) => s.audit.verify(contextOf(req), { checkpointFile: null }),
  )
  app.get(
    '/v1/audit/proof',
    {
      schema: {
        summary: 'An RFC 9162 inclusion proof of one entry against the latest signed checkpoint',
        tags: ['audit'],
        querystring: Type.Object({ entry: Type.Integer({ minimum: 0 }), from: Type.Optional(Type.Integer({ minimum: 1 })) }),
        response: { 200: Document('The `audit proof --json` document'), 404: KEYED_ERRORS[400], ...KEYED_ERRORS },
      },
    },
    async (req) => s.audit.proof(contextOf(req), { entry: req.query.entry, from: req.query.from ?? null }),
  )

  const EvidenceBody = Type.Object({ phone: PhoneText, seller: Type.Optional(SellerName), at: Type.Optional(InstantText) }, { additionalProperties: false })
  const query = (b: { phone: string; seller?: string | undefined; at?: string | undefined }) => ({ phone: requirePhone('phone', b.phone), seller: optionalName('seller', b.seller), at: maybeInstant('at', b.at) ?? null })
  app.post(
    '/v1/evidence',
    { schema: { summary: "Everything that bears on calls to one number, with audit proofs (decrypted: the read is audited)", tags: ['evidence'], body: EvidenceBody, response: { 200: Document('The `evidence --json` document'), ...KEYED_ERRORS } } },
    async (req) => s.evidence.document(contextOf(req), query(req.body)),
  )
  app.post(
    '/v1/evidence/package',
    { schema: { summary: 'A signed evidence package (ZIP: evidence.json, evidence.html, proofs, manifest) that verifies offline', tags: ['evidence'], body: EvidenceBody, produces: ['application/zip'], response: KEYED_ERRORS } },
    async (req, reply) => {
      const p = await s.evidence.package(contextOf(req), query(req.body))
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', 'attachment; filename="evidence.zip"')
        .header('x-dialward-sha256', p.sha256)
        .send(p.zip as never)
    },
  )

  app.get('/v1/retention/policy', { schema: { summary: 'The effective retention policy: floors with their sources, ceilings, triggers', tags: ['retention'], response: { 200: Document('The `retention policy --json` document'), ...KEYED_ERRORS } } }, async (req) =>
    s.retention.policy(contextOf(req), {}),
  )
  app.get(
    '/v1/retention/forecast',
    {
      schema: {
        summary: 'What will be deleted when',
        tags: ['retention'],
        querystring: Type.Object({ at: Type.Optional(InstantText), until: Type.Optional(InstantText) }),
        response: { 200: Document('The `retention forecast --json` document'), ...KEYED_ERRORS },
      },
    },
    async (req) => s.retention.forecast(contextOf(req), { at: maybeInstant('at', req.query.at), until: maybeInstant('until', req.query.until) }),
  )
  app.post(
    '/v1/retention/run',
    {
      schema: {
        summary: 'Purge what is past its ceiling and not held (or, with dryRun, say what would go); writes a signed receipt',
        tags: ['retention'],
        body: Type.Object({ at: Type.Optional(InstantText), dryRun: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: Document('The `retention run --json` document'), ...KEYED_ERRORS },
      },
    },
    async (req) => {
      const input = { at: maybeInstant('at', req.body.at) }
      return req.body.dryRun === true ? s.retention.dryRun(contextOf(req), input) : s.retention.purge(contextOf(req), input)
    },
  )
  app.post(
    '/v1/erasures',
    {
      schema: {
        summary: "Erase a person's data (a data-subject request), keeping only what a legal floor or hold requires and a suppression entry",
        tags: ['retention'],
        body: Type.Object({ phone: PhoneText, at: Type.Optional(InstantText) }, { additionalProperties: false }),
        response: { 200: Document('The `erase --json` document'), ...KEYED_ERRORS },
      },
    },
    async (req) => s.retention.erase(contextOf(req), { phone: requirePhone('phone', req.body.phone), at: maybeInstant('at', req.body.at) }),
  )
  app.post(
    '/v1/exports',
    { schema: { summary: "A person's data, decrypted (an access request; audited, with a receipt)", tags: ['retention'], body: Type.Object({ phone: PhoneText }, { additionalProperties: false }), response: { 200: Document('The `export --json` document'), ...KEYED_ERRORS } } },
    async (req) => s.retention.export(contextOf(req), { phone: requirePhone('phone', req.body.phone) }),
  )

  app.get('/v1/holds', { schema: { summary: 'Legal holds', tags: ['retention'], response: { 200: Type.Object({ holds: Type.Array(HoldView) }), ...KEYED_ERRORS } } }, async (req) => ({ holds: await s.holds.list(contextOf(req)) }))
  app.post(
    '/v1/holds',
    {
      schema: {
        summary: 'Place a legal hold on a number, a seller, a campaign, or everything: nothing it covers is purged or erased',
        tags: ['retention'],
        body: Type.Object(
          {
            id: Type.String({ minLength: 1, maxLength: 200 }),
            reason: Type.String({ minLength: 1, maxLength: 2_000 }),
            phone: Type.Optional(PhoneText),
            seller: Type.Optional(SellerName),
            campaign: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            all: Type.Optional(Type.Boolean()),
            until: Type.Optional(InstantText),
          },
          { additionalProperties: false },
        ),
        response: { 200: HoldView, 409: KEYED_ERRORS[400], ...KEYED_ERRORS },
      },
    },
    async (req) => {
      const b = req.body
      const given = (['phone', 'seller', 'campaign', 'all'] as const).filter((k) => b[k] !== undefined && b[k] !== false)
      if (given.length !== 1) throw invalidInput('scope', 'give exactly one of phone, seller, campaign or all')
      const scope: HoldScopeInput =
        given[0] === 'phone' ? { kind: 'phone', phone: requirePhone('phone', b.phone) } : given[0] === 'seller' ? { kind: 'seller', seller: b.seller!.trim() } : given[0] === 'campaign' ? { kind: 'campaign', campaign: b.campaign! } : { kind: 'all' }
      return s.holds.add(contextOf(req), { id: b.id.trim(), reason: b.reason, scope, until: maybeInstant('until', b.until) ?? null })
    },
  )
  app.post(
    '/v1/holds/release',
    { schema: { summary: 'Release a legal hold', tags: ['retention'], body: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }), response: { 200: HoldView, 404: KEYED_ERRORS[400], ...KEYED_ERRORS } } },
    async (req) => s.holds.release(contextOf(req), req.body.id.trim()),
  )

  app.get('/v1/keys', { schema: { summary: 'Key ids, algorithms, states and use; the public signing key to publish (never key material)', tags: ['keys'], response: { 200: Document('The `keys list --json` document'), ...KEYED_ERRORS } } }, async (req) =>
    s.keys.list(contextOf(req)),
  )
  app.post('/v1/keys/rotate', { schema: { summary: 'Add a new key-encryption key and re-wrap every data key under it (resumable)', tags: ['keys'], response: { 200: Document('The `keys rotate --json` document'), ...KEYED_ERRORS } } }, async (req) =>
    s.keys.rotate(contextOf(req)),
  )

  const CheckpointView = Type.Object({ size: Type.Integer(), root: Type.String(), time: Type.String(), note: Type.String() })
  app.get(
    '/v1/audit/checkpoint',
    {
      schema: {
        summary: 'The latest signed checkpoint and the fingerprint of the key that signs checkpoints',
        tags: ['audit'],
        response: {
          200: Type.Object({
            checkpoint: Type.Union([CheckpointView, Type.Null()]),
            origin: Type.Union([Type.String(), Type.Null()]),
            publicKey: Type.String({ description: 'Ed25519 public key, base64' }),
            publicKeySha256: Type.String({ description: 'SHA-256 of the public key (SPKI DER), hex: compare it with the key you trust' }),
          }),
          ...KEYED_ERRORS,
        },
      },
    },
    async (req) => s.audit.latestCheckpoint(contextOf(req)),
  )
  app.get(
    '/v1/retention/receipts',
    {
      schema: {
        summary: 'Deletion and access receipts, newest first, each verified now (signature, checkpoint, inclusion proof, signer)',
        tags: ['retention'],
        response: {
          200: Type.Object({
            receipts: Type.Array(
              Type.Object({
                id: Type.String(),
                runId: Type.String(),
                kind: Type.String(),
                at: Type.String(),
                completedAt: Type.Union([Type.String(), Type.Null()]),
                records: Type.Record(Type.String(), Type.Integer()),
                keysDestroyed: Type.Integer(),
                suppressionEntriesAdded: Type.Integer(),
                valid: Type.Boolean(),
                problems: Type.Array(Type.String()),
                publicKeySha256: Type.Union([Type.String(), Type.Null()]),
                signedByThisInstallation: Type.Boolean(),
                erase: Type.Union([Type.Literal('complete'), Type.Literal('pending-key-prune'), Type.Literal('none')], { description: 'complete: every KEK that wraps a copy of the destroyed data keys in an older backup is pruned; pending-key-prune: some are still in the keyring' }),
                pendingKeks: Type.Array(Type.String()),
              }),
            ),
          }),
          ...KEYED_ERRORS,
        },
      },
    },
    async (req) => ({ receipts: await s.retention.receipts(contextOf(req)) }),
  )
}
