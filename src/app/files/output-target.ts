import { randomBytes } from 'node:crypto'
import { realpathSync, statSync } from 'node:fs'
import { open, rename, rm, type FileHandle } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { Writable } from 'node:stream'
import { DialwardError } from '../../core/errors.js'
import { describeFsError } from './input-source.js'

/**
 * Where a command writes its output file. Nothing reaches a regular file's path until `commit`:
 * bytes go to a temporary file beside it (mode 0600) that is renamed over the path at the end, so
 * a failed run leaves the old file (or none). A path that exists and is not a regular file (a
 * FIFO, a terminal, `/dev/null`) is written in place and never replaced; `-` is standard output.
 */
export interface OutputTarget {
  /** How messages name it: the path, or `standard output`. */
  readonly name: string
  /** Whether bytes reach the reader as they are written (standard output, a FIFO): a failed run cannot take them back. */
  readonly streaming: boolean
  /** Appends bytes (resolves once the destination took them). */
  write(chunk: Uint8Array): Promise<void>
  /** Makes the output final: closes it and, for a regular file, renames it over the path. */
  commit(): Promise<void>
  /** Gives up: closes it and removes the temporary file. Never throws. */
  abort(): Promise<void>
}

/**
 * Checks an output path and opens its destination, before anything is computed or stored: a
 * directory, a path in a missing directory, or one that cannot be created is refused with
 * `OUTPUT_UNWRITABLE` naming `field`.
 */
export async function outputTarget(path: string, field: string, stdout: () => Writable = () => process.stdout): Promise<OutputTarget> {
  if (path === '-') return streamTarget('standard output', stdout())
  const refuse = (why: string): DialwardError => new DialwardError('OUTPUT_UNWRITABLE', `cannot write ${path}: ${why}`, field)
  let existing: ReturnType<typeof statSync> | null = null
  try {
    existing = statSync(path)
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOENT') throw refuse(describeFsError(err))
  }
  if (existing?.isDirectory()) throw refuse('it is a directory')
  if (existing !== null && !existing.isFile()) {
    // a FIFO, a terminal, a device: written in place, never replaced by a rename
    let handle: FileHandle
    try {
      handle = await open(path, 'w')
    } catch (err) {
      throw refuse(describeFsError(err))
    }
    return handleTarget(path, handle, null, true)
  }
  const target = existing !== null ? realpathSync(path) : path
  const dir = dirname(target)
  try {
    if (!statSync(dir).isDirectory()) throw refuse(`${dir} is not a directory`)
  } catch (err) {
    if (err instanceof DialwardError) throw err
    throw refuse(`directory ${dir} does not exist`)
  }
  const temp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.partial`)
  let handle: FileHandle
  try {
    handle = await open(temp, 'wx', 0o600)
  } catch (err) {
    throw refuse(describeFsError(err))
  }
  return handleTarget(path, handle, { temp, final: target }, false)
}

function handleTarget(name: string, handle: FileHandle, files: { temp: string; final: string } | null, streaming: boolean): OutputTarget {
  let closed = false
  const close = async (): Promise<void> => {
    if (closed) return
    closed = true
    await handle.close()
  }
  return {
    name,
    streaming,
    async write(chunk) {
      let off = 0
      while (off < chunk.length) {
        const { bytesWritten } = await handle.write(chunk, off, chunk.length - off)
        off += bytesWritten
      }
    },
    async commit() {
      await close()
      if (files !== null) await rename(files.temp, files.final)
    },
    async abort() {
      await close().catch(() => undefined)
      if (files !== null) await rm(files.temp, { force: true }).catch(() => undefined)
    },
  }
}

function streamTarget(name: string, stream: Writable): OutputTarget {
  let failure: Error | null = null
  stream.on('error', (err: Error) => (failure ??= err))
  return {
    name,
    streaming: true,
    async write(chunk) {
      if (failure !== null) throw failure
      if (!stream.write(chunk)) {
        await new Promise<void>((resolve, reject) => {
          const done = (err?: Error): void => {
            stream.off('drain', done)
            stream.off('error', done)
            if (err) reject(err)
            else resolve()
          }
          stream.once('drain', done)
          stream.once('error', done)
        })
      }
    },
    async commit() {
      if (failure !== null) throw failure
    },
    async abort() {},
  }
}
