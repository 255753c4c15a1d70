import { Readable } from 'node:stream'
import { DialwardError } from '../core/errors.js'

/** Counts bytes through a stream and fails it past the limit (bodies of streamed routes are not limited by fastify). */
export function limited(body: Readable, max: number): Readable {
  let seen = 0
  const out = new Readable({ read() {} })
  body.on('data', (c: Buffer) => {
    seen += c.length
    if (seen > max) {
      body.destroy()
      out.destroy(new DialwardError('PAYLOAD_TOO_LARGE', `the body is larger than ${max} bytes`, 'body'))
      return
    }
    out.push(c)
  })
  body.on('end', () => out.push(null))
  body.on('error', (e) => out.destroy(e))
  return out
}

