import { PassThrough, Readable } from 'node:stream'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { DialwardError } from '../../core/errors.js'
import { maybeInstant, optionalText, requireText } from '../../app/input.js'
import { inputSource } from '../../app/files/input-source.js'
import { outputTarget, type OutputTarget } from '../../app/files/output-target.js'
import type { Services } from '../../app/compose.js'
import type { ScrubSummary } from '../../app/services/scrub.js'
import type { Api } from '../api.js'
import { contextOf } from '../authenticate.js'
import { limited } from '../limited-body.js'
import { InstantText, KEYED_ERRORS } from '../schemas/common.js'

/** Largest list accepted over HTTP (a 10 M-row lead file is about 650 MB). */
const MAX_SCRUB_BYTES = 2 * 1024 * 1024 * 1024

/** The trailer that carries the run's summary (JSON) once the last row is written. */
export const SUMMARY_TRAILER = 'dialward-scrub-summary'

const Query = Type.Object(
  {
    campaign: Type.String({ minLength: 1, maxLength: 200 }),
    at: Type.Optional(InstantText),
    phoneColumn: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    stateColumn: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "Column holding the consumer's address state (like check's state)" })),
    zipColumn: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    allowedOnly: Type.Optional(Type.Boolean({ description: 'Write only the rows that may be called' })),
  },
  { additionalProperties: false },
)

/**
 * A response-bound output: `started` resolves with its first bytes (the header row: the list was
 * accepted), and a failure cuts the response off, so a partial list never looks complete.
 */
function responseTarget(stream: PassThrough, inner: OutputTarget): OutputTarget & { readonly started: Promise<void> } {
  let start!: () => void
  const started = new Promise<void>((resolve) => (start = resolve))
  return {
    ...inner,
    started,
    async write(chunk) {
      start()
      await inner.write(chunk)
    },
    async commit() {
      await inner.commit()
      stream.end()
    },
    async abort() {
      await inner.abort()
      stream.destroy(new Error('the scrub failed; the list is incomplete'))
    },
  }
}

/**
 * `POST /v1/scrub`: the HTTP form of `scrub`. The body is the CSV list (`text/csv`), streamed;
 * the answer is the scrubbed list, streamed in input order as the CLI writes it, with the run's
 * summary (`scrub --json`) in the `Dialward-Scrub-Summary` trailer. A list refused before its first
 * row (unknown campaign, no phone column) is a `400` with nothing stored; a failure after the
 * answer started cuts the answer off (no trailer) and stores nothing.
 */
export function scrubRoutes(app: Api, s: Services): void {
  app.addContentTypeParser('text/csv', (_req, payload, done) => done(null, payload))
  app.post(
    '/v1/scrub',
    {
      schema: {
        summary: 'Scrub a CSV list: every row with its verdict, reasons and next allowed time (streamed)',
        description: `Send the list as \`text/csv\`; the answer is \`text/csv\` with the columns dialward_phone, dialward_verdict, dialward_reasons, dialward_next_allowed_at added, and the run summary (JSON) in the \`${SUMMARY_TRAILER}\` trailer.`,
        tags: ['check'],
        querystring: Query,
        produces: ['text/csv'],
        response: { 413: KEYED_ERRORS[400], ...KEYED_ERRORS },
      },
    },
    async (req, reply) => {
      const q = req.query
      const body = (req as unknown as FastifyRequest).body
      if (!(body instanceof Readable)) throw new DialwardError('INVALID_INPUT', 'send the list as text/csv', 'content-type')
      const out = new PassThrough()
      const output = responseTarget(out, await outputTarget('-', 'body', () => out))
      const run = s.scrub.scrub(contextOf(req), {
        campaign: requireText('campaign', q.campaign, 200),
        at: maybeInstant('at', q.at),
        input: inputSource('-', 'body', () => limited(body, MAX_SCRUB_BYTES)),
        output,
        phoneColumn: optionalText('phoneColumn', q.phoneColumn, 200),
        stateColumn: optionalText('stateColumn', q.stateColumn, 200),
        zipColumn: optionalText('zipColumn', q.zipColumn, 200),
        allowedOnly: q.allowedOnly === true,
        threads: s.config.scrubThreads ?? undefined,
      })
      // a failure after the answer started cuts it off (the output's abort); before, it is the answer
      run.catch(() => undefined)
      // answer once the list is accepted (its header row written) or the run is over
      await Promise.race([output.started, run])
      return sendList(reply as unknown as FastifyReply, out, run)
    },
  )
}

function sendList(reply: FastifyReply, out: PassThrough, run: Promise<ScrubSummary>): FastifyReply {
  reply.header('content-type', 'text/csv; charset=utf-8')
  reply.trailer(SUMMARY_TRAILER, async () => JSON.stringify(await run))
  return reply.send(out)
}
