import { Readable } from 'node:stream'
import { Type } from 'typebox'
import { DialwardError } from '../../core/errors.js'
import type { FastifyRequest } from 'fastify'
import { LEAD_FORMATS, readRecords, type RawRecord, type RecordFormat } from '../../app/files/record-rows.js'
import { maybeInstant, requireText } from '../../app/input.js'
import type { RequestContext } from '../../app/context.js'
import type { Services } from '../../app/compose.js'
import type { ImportReport } from '../../app/services/imports.js'
import type { Api } from '../api.js'
import { contextOf } from '../authenticate.js'
import { InstantText, KEYED_ERRORS } from '../schemas/common.js'
import { limited } from '../limited-body.js'

/** Largest import body (streamed; a strict import and every lead import hold it in memory to read it twice). */
const MAX_IMPORT_BYTES = 256 * 1024 * 1024
const MAX_STRICT_BYTES = 64 * 1024 * 1024

const Report = Type.Object({
  rows: Type.Integer(),
  stored: Type.Integer(),
  refused: Type.Integer(),
  refusals: Type.Array(Type.Object({ row: Type.Integer(), field: Type.Union([Type.String(), Type.Null()]), code: Type.String(), message: Type.String() })),
  refusalsTruncated: Type.Boolean(),
  rejected: Type.Boolean(),
})

const Counts = Type.Record(Type.String(), Type.Integer())
const LeadReport = Type.Object({
  importId: Type.Union([Type.String(), Type.Null()]),
  purpose: Type.String(),
  rows: Type.Integer(),
  stored: Type.Integer(),
  merged: Type.Integer(),
  quarantined: Type.Integer(),
  fieldsDropped: Counts,
  valuesRejected: Counts,
  quarantineReasons: Counts,
  rejected: Type.Boolean(),
})

/**
 * `POST /v1/dnc/import` and `POST /v1/consents/import`: CSV (`text/csv`, a header row) or NDJSON
 * (`application/x-ndjson`), streamed; every record validated and recorded as its single-record
 * route does; a per-row report of what was refused and why. `?strict=true` refuses the whole body
 * (422-free: 200 with `rejected: true`, nothing stored) when any record is refused.
 *
 * `POST /v1/contacts/import?purpose=P`: a lead file, as `contacts import` takes it (CSV, NDJSON,
 * or VICIdial's lead layout with `format=vicidial`). A lead import reads its file twice (a checking
 * pass, then the chunks), so the body is held in memory — never written to a file, since it may
 * carry fields the purpose does not allow — up to the strict limit.
 */
export function importRoutes(app: Api, s: Services): void {
  for (const type of ['text/csv', 'text/tab-separated-values', 'application/x-ndjson', 'application/jsonl']) {
    app.addContentTypeParser(type, (_req, payload, done) => done(null, payload))
  }
  const formatOf = (contentType: string | undefined): RecordFormat => {
    const t = (contentType ?? '').split(';')[0]!.trim().toLowerCase()
    if (t === 'text/csv') return 'csv'
    if (t === 'application/x-ndjson' || t === 'application/jsonl') return 'ndjson'
    throw new DialwardError('INVALID_INPUT', 'send text/csv or application/x-ndjson', 'content-type')
  }
  const sourceOf = async (body: unknown, format: RecordFormat, strict: boolean): Promise<() => AsyncIterable<RawRecord>> => {
    if (!(body instanceof Readable)) throw new DialwardError('INVALID_INPUT', 'send text/csv or application/x-ndjson', 'content-type')
    if (!strict) {
      const stream = limited(body, MAX_IMPORT_BYTES)
      let used = false
      return () => {
        if (used) throw new Error('a streamed import body is read once')
        used = true
        return readRecords(stream, format)
      }
    }
    const chunks: Buffer[] = []
    for await (const c of limited(body, MAX_STRICT_BYTES)) chunks.push(c as Buffer)
    const all = Buffer.concat(chunks)
    return () => readRecords(Readable.from([all]), format)
  }
  const schema = (what: string) => ({
    summary: `Import ${what} (CSV or NDJSON, streamed) with a per-row report`,
    tags: ['imports'],
    querystring: Type.Object({ strict: Type.Optional(Type.Boolean({ description: 'Refuse the whole body when any record is refused' })) }),
    response: { 200: Report, 413: KEYED_ERRORS[400], ...KEYED_ERRORS },
  })
  const handler =
    (run: (ctx: RequestContext, source: () => AsyncIterable<RawRecord>, strict: boolean) => Promise<ImportReport>) =>
    async (req: FastifyRequest): Promise<ImportReport> => {
      const strict = (req.query as { strict?: boolean }).strict === true
      const source = await sourceOf(req.body, formatOf(req.headers['content-type']), strict)
      return run(contextOf(req), source, strict)
    }
  const dnc = handler((ctx, source, strict) => s.imports.dncEntries(ctx, source, { strict }))
  const consents = handler((ctx, source, strict) => s.imports.consents(ctx, source, { strict }))
  app.post('/v1/dnc/import', { schema: schema('do-not-call requests') }, (req) => dnc(req as unknown as FastifyRequest))
  app.post('/v1/consents/import', { schema: schema('consent grants') }, (req) => consents(req as unknown as FastifyRequest))

  app.post(
    '/v1/contacts/import',
    {
      schema: {
        summary: 'Import a lead file for a purpose: only the fields the purpose allows are kept (the others are dropped, counted, never stored), invalid numbers quarantined, duplicates merged',
        description: `The body is the file (text/csv, application/x-ndjson, or with format=vicidial VICIdial's lead layout as text/csv or text/tab-separated-values), at most ${MAX_STRICT_BYTES / 1024 / 1024} MiB: it is held in memory, never on disk, and read twice. The report is the \`contacts import --json\` document; with strict=true a file carrying a disallowed field stores nothing and answers rejected: true.`,
        tags: ['contacts'],
        querystring: Type.Object(
          {
            purpose: Type.String({ minLength: 1, maxLength: 100 }),
            format: Type.Optional(Type.Enum([...LEAD_FORMATS])),
            strict: Type.Optional(Type.Boolean({ description: 'Refuse the whole file when any row carries a field the purpose does not allow' })),
            verifiedAt: Type.Optional(InstantText),
          },
          { additionalProperties: false },
        ),
        response: { 200: LeadReport, 404: KEYED_ERRORS[400], 413: KEYED_ERRORS[400], ...KEYED_ERRORS },
      },
    },
    async (req) => {
      const q = req.query
      const format = q.format ?? formatOf(req.headers['content-type'])
      const source = await sourceOf(req.body, format, true)
      return s.contacts.importLeads(contextOf(req), { source, purpose: requireText('purpose', q.purpose, 100), strict: q.strict === true, verifiedAt: maybeInstant('verifiedAt', q.verifiedAt) })
    },
  )
}
