import { accessSync, constants, statSync, writeFileSync, type Stats } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { DialwardError } from '../../core/errors.js'
import { writeFileAtomic } from '../../crypto/atomic-file.js'

/**
 * Where a command writes its output file:
 * - `stdout`: `-`, standard output;
 * - `replace`: a new file, or an existing regular file, written atomically (temporary file in the
 *   same directory, then rename), so a crash leaves the old content or the new, never a mix;
 * - `in-place`: an existing path that is not a regular file (a FIFO, a terminal, a device): opened
 *   and written as it is, never replaced by a rename.
 */
export type OutputTarget = { readonly kind: 'stdout' } | { readonly kind: 'replace' | 'in-place'; readonly path: string }

/**
 * Checks an output path before anything is read or written, so that a command refused for its
 * output changes nothing: a directory, a path in a missing directory, a socket, or a place this
 * user cannot write is refused with `OUTPUT_UNWRITABLE` naming `field` (exit 2).
 */
export function outputTarget(field: string, raw: string): OutputTarget {
  if (raw === '-') return { kind: 'stdout' }
  const path = resolve(raw)
  const refuse = (why: string): never => {
    throw new DialwardError('OUTPUT_UNWRITABLE', `${path} ${why}`, field)
  }
  const existing = statOrNull(path)
  if (existing !== null) {
    if (existing.isDirectory()) refuse('is a directory')
    if (existing.isSocket()) refuse('is a socket')
    if (existing.isFile()) {
      if (!writable(dirname(path))) refuse('cannot be replaced: its directory is not writable')
      return { kind: 'replace', path }
    }
    if (!writable(path)) refuse('is not writable')
    return { kind: 'in-place', path }
  }
  const dir = statOrNull(dirname(path))
  if (dir === null || !dir.isDirectory()) refuse(`lies in a missing directory (${dirname(path)})`)
  if (!writable(dirname(path))) refuse('cannot be created: its directory is not writable')
  return { kind: 'replace', path }
}

/** Writes the whole output to its target (a new or replaced file gets `mode`, default 0600). */
export function writeOutput(target: OutputTarget, bytes: Uint8Array, mode = 0o600): void {
  try {
    if (target.kind === 'stdout') writeFileSync(1, bytes)
    else if (target.kind === 'in-place') writeFileSync(target.path, bytes, { flag: 'w', mode })
    else writeFileAtomic(target.path, bytes, { mode })
  } catch (err) {
    const where = target.kind === 'stdout' ? 'standard output' : target.path
    throw new DialwardError('OUTPUT_UNWRITABLE', `cannot write ${where}: ${(err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err))}`)
  }
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path)
  } catch {
    return null
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK)
    return true
  } catch {
    return false
  }
}
