import { createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { DialwardError, invalidInput } from '../../core/errors.js'
import { canonicalRegistryId, parseRegistryId } from '../../core/dnc/registry-id.js'
import { areaCodeList, requireDate } from '../../app/input.js'
import type { Services } from '../../app/compose.js'
import type { Api } from '../api.js'
import { contextOf } from '../authenticate.js'
import { limited } from '../limited-body.js'
import { KEYED_ERRORS } from '../schemas/common.js'

/** Largest registry file accepted over HTTP (the whole US registry zipped is a few hundred MB). */
const MAX_REGISTRY_BYTES = 4 * 1024 * 1024 * 1024

/** Body types a registry file may be sent as: the file's own bytes (plain, gzip or ZIP; detected from them). */
const FILE_TYPES = ['application/octet-stream', 'application/zip', 'application/gzip', 'application/x-gzip', 'text/plain', 'application/xml', 'text/xml']

const Query = Type.Object(
  {
    registry: Type.String({ minLength: 1, maxLength: 40, description: 'us-national, us-state-XX, ca-national or uk-tps' }),
    asOf: Type.String({ minLength: 10, maxLength: 10, description: "The registry's as-of date (YYYY-MM-DD); not in the future" }),
    areaCodes: Type.Optional(Type.String({ maxLength: 10_000, description: 'The area codes the file covers, e.g. 305,786 (default: those in the file)' })),
    full: Type.Optional(Type.Boolean({ description: 'The file is the whole registry: every area code it lacks has no listed number' })),
    changes: Type.Optional(Type.Boolean({ description: 'The file is a change list (also detected from its records)' })),
    skipInvalid: Type.Optional(Type.Boolean({ description: 'Skip and count malformed lines instead of refusing the file' })),
  },
  { additionalProperties: false },
)

/**
 * `POST /v1/registries/import`: the HTTP form of `registry import`. The body is the file as the
 * FTC, the CRTC or the TPS delivered it (flat, CRTC XML, change list; plain, gzip or ZIP). It is
 * spooled to a private temporary file (a ZIP is read from its end, and every file is read twice),
 * imported by the same service, and removed whatever happens.
 */
export function registryImportRoutes(app: Api, s: Services): void {
  for (const type of FILE_TYPES) app.addContentTypeParser(type, (_req, payload, done) => done(null, payload))
  app.post(
    '/v1/registries/import',
    {
      schema: {
        summary: 'Import a registry file as a new version (per area code or whole, or a change list)',
        description: 'Send the file itself as the body (`application/octet-stream`, `application/zip`, `application/gzip` or `text/plain`). The report is the `registry import --json` document; a refused file changes nothing (the version in force stays).',
        tags: ['registries'],
        querystring: Query,
        response: { 200: Type.Object({}, { additionalProperties: true, description: 'The `registry import --json` report' }), 413: KEYED_ERRORS[400], ...KEYED_ERRORS },
      },
    },
    async (req) => {
      const q = req.query
      const registry = parseRegistryId(canonicalRegistryId(q.registry))
      if (!registry) throw invalidInput('registry', 'must be us-national, us-state-XX (a US state code), ca-national or uk-tps')
      const asOf = requireDate('asOf', q.asOf)
      const areaCodes = q.areaCodes === undefined ? null : areaCodeList('areaCodes', q.areaCodes)
      const body = (req as unknown as FastifyRequest).body
      if (!(body instanceof Readable)) throw new DialwardError('INVALID_INPUT', `send the registry file as ${FILE_TYPES.slice(0, 4).join(', ')} or text/plain`, 'content-type')
      const dir = await mkdtemp(join(tmpdir(), 'dialward-registry-'))
      try {
        const file = join(dir, 'registry')
        await pipeline(limited(body, MAX_REGISTRY_BYTES), createWriteStream(file, { mode: 0o600 }))
        return await s.registry.import(contextOf(req), { registry, file, asOf, skipInvalid: q.skipInvalid === true, areaCodes, full: q.full === true, changes: q.changes === true })
      } finally {
        await rm(dir, { recursive: true, force: true })
      }
    },
  )
}
