import { Transform, type Readable } from 'node:stream'
import { DialwardError } from '../core/errors.js'

/**
 * Counts bytes through a stream and fails it past the limit (bodies of streamed routes are not
 * limited by fastify). Piped, so a slow reader slows the upload instead of buffering it.
 */
export function limited(body: Readable, max: number): Readable {
  let seen = 0
  const out = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length
      if (seen > max) {
        body.unpipe(out)
        body.destroy()
        done(new DialwardError('PAYLOAD_TOO_LARGE', `the body is larger than ${max} bytes`, 'body'))
        return
      }
      done(null, chunk)
    },
  })
  body.on('error', (e) => out.destroy(e))
  return body.pipe(out)
}
