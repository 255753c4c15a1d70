import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { DialwardError, type ErrorCode } from '../core/errors.js'

/** The error document of every non-2xx answer. */
export interface ErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string }
}

/** An error as the HTTP edge renders it: the catalogue's status, `{ error: { code, message } }` naming the JSON field. */
export function errorBody(err: DialwardError): ErrorBody {
  return { error: { code: err.code, message: err.message } }
}

/**
 * The server's error handler: Dialward errors take their status from the catalogue; schema
 * validation failures are `INVALID_INPUT` naming the field; a body over the route's limit is
 * `PAYLOAD_TOO_LARGE`; anything else is `INTERNAL` (logged without the request body).
 */
export function handleError(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply): void {
  const d = toDialwardError(err)
  if (d.code === 'INTERNAL') req.log.error({ err: { message: err.message, stack: err.stack } }, 'request failed')
  void reply.status(d.httpStatus).send(errorBody(d))
}

function toDialwardError(err: FastifyError | Error): DialwardError {
  if (err instanceof DialwardError) return err
  const f = err as FastifyError & { validation?: Array<{ instancePath?: string; message?: string; params?: Record<string, unknown> }> }
  if (f.validation) {
    const v = f.validation[0]
    const missing = typeof v?.params?.['requiredProperties'] === 'object' ? String((v.params['requiredProperties'] as unknown[])[0]) : null
    const path = (v?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.')
    const field = missing ? (path ? `${path}.${missing}` : missing) : path || 'body'
    return new DialwardError('INVALID_INPUT', missing ? 'is required' : (v?.message ?? 'is invalid'), field)
  }
  if (f.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new DialwardError('PAYLOAD_TOO_LARGE', 'the request body is larger than this route accepts', 'body')
  if (f.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new DialwardError('INVALID_INPUT', 'unsupported content type', 'body')
  if (f.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || f.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (f.statusCode === 400 && f.code?.startsWith('FST_ERR_CTP'))) {
    return new DialwardError('INVALID_INPUT', 'is not valid JSON', 'body')
  }
  if (typeof f.statusCode === 'number' && f.statusCode === 404) return new DialwardError('NOT_FOUND', 'no such route', 'url')
  return new DialwardError('INTERNAL', 'internal error')
}
