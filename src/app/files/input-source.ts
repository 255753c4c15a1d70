import { createReadStream, statSync } from 'node:fs'
import type { Readable } from 'node:stream'
import { DialwardError } from '../../core/errors.js'

/** An input a command reads once, front to back: a file, a pipe, or standard input (`-`). */
export interface InputSource {
  /** How messages name it: the path, or `standard input`. */
  readonly name: string
  /** The size in bytes when known (a regular file), for progress; else `null`. */
  readonly size: number | null
  /** Opens the stream (call once). */
  open(highWaterMark?: number): Readable
}

/**
 * Checks and names an input: `-` is standard input; any other path must exist and not be a
 * directory (a regular file, a FIFO, `/dev/stdin`). Refused with `INPUT_UNREADABLE` naming
 * `field` before anything is read or stored.
 */
export function inputSource(path: string, field: string, stdin: () => Readable = () => process.stdin): InputSource {
  if (path === '-') return { name: 'standard input', size: null, open: () => stdin() }
  let size: number | null = null
  try {
    const st = statSync(path)
    if (st.isDirectory()) throw new DialwardError('INPUT_UNREADABLE', `${path} is a directory`, field)
    size = st.isFile() ? st.size : null
  } catch (err) {
    if (err instanceof DialwardError) throw err
    throw new DialwardError('INPUT_UNREADABLE', `cannot read ${path} (${describeFsError(err)})`, field)
  }
  return {
    name: path,
    size,
    open: (highWaterMark = 1 << 20) => {
      const stream = createReadStream(path, { highWaterMark })
      return stream
    },
  }
}

/** A file-system error in a few words (`no such file`, `permission denied`), never a stack. */
export function describeFsError(err: unknown): string {
  const code = (err as { code?: unknown }).code
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'EISDIR':
      return 'is a directory'
    case 'ENOTDIR':
      return 'a parent is not a directory'
    case 'ENOSPC':
      return 'no space left on the device'
    case 'EROFS':
      return 'read-only file system'
    default:
      return typeof code === 'string' ? code : err instanceof Error ? err.message.split('\n')[0]! : String(err)
  }
}
