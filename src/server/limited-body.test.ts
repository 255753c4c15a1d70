import { describe, expect, it } from 'vitest'
import { Readable } from 'node:stream'
import { limited } from './limited-body.js'
import { DialwardError } from '../core/errors.js'

/** A source of `chunks` chunks of `size` bytes that counts how many chunks were pulled from it. */
function source(chunks: number, size: number): { stream: Readable; pulled: () => number } {
  let n = 0
  const stream = new Readable({
    highWaterMark: size,
    read() {
      if (n === chunks) this.push(null)
      else {
        n++
        this.push(Buffer.alloc(size, 0x61))
      }
    },
  })
  return { stream, pulled: () => n }
}

async function drain(r: Readable): Promise<number> {
  let bytes = 0
  for await (const c of r) bytes += (c as Buffer).length
  return bytes
}

describe('limited', () => {
  it('passes a body up to the limit through whole', async () => {
    const { stream } = source(10, 1000)
    expect(await drain(limited(stream, 10_000))).toBe(10_000)
  })

  it('fails a body past the limit with PAYLOAD_TOO_LARGE and stops reading it', async () => {
    const { stream, pulled } = source(1000, 1000)
    const err = await drain(limited(stream, 10_500)).then(
      () => null,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(DialwardError)
    expect((err as DialwardError).code).toBe('PAYLOAD_TOO_LARGE')
    expect(stream.destroyed).toBe(true)
    expect(pulled()).toBeLessThan(50)
  })

  it('keeps backpressure: a consumer that stops reading stops the upload', async () => {
    const { stream, pulled } = source(100_000, 1024)
    const out = limited(stream, 1 << 30)
    out.pause()
    out.read(0)
    await new Promise((r) => setTimeout(r, 50))
    // only what the stream buffers hold was read, not the 100 MB body
    expect(pulled()).toBeLessThan(200)
    out.destroy()
  })
})
