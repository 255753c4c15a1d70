import { randomBytes } from 'node:crypto'
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  linkSync,
  openSync,
  readdirSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'

/** Options for {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** Permission bits of the final file, set exactly (the umask cannot widen or narrow them). Default 0o600. */
  readonly mode?: number
  /** When true, fail with an `EEXIST` error instead of replacing an existing file. */
  readonly exclusive?: boolean
}

/**
 * Writes a file so that after a crash or power loss `path` holds either the old content or the
 * new content, never a torn mix: write a temporary file in the same directory with the final
 * mode → fsync it → rename (or hard-link, when `exclusive`) onto `path` → fsync the directory.
 *
 * `exclusive` uses `link(2)`, which fails atomically when `path` exists, so two concurrent
 * creators cannot both win. Throws the underlying `NodeJS.ErrnoException` on failure; the
 * temporary file is removed on every failure path that returns control.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const mode = options.mode ?? 0o600
  const target = resolve(path)
  const dir = dirname(target)
  const tmp = join(dir, `${tempPrefix(target)}${randomBytes(6).toString('hex')}.tmp`)
  let tmpExists = false
  try {
    const fd = openSync(tmp, 'wx', mode)
    tmpExists = true
    try {
      fchmodSync(fd, mode)
      writeFileSync(fd, data)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    if (options.exclusive) {
      linkSync(tmp, target)
      unlinkSync(tmp)
    } else {
      renameSync(tmp, target)
    }
    tmpExists = false
    fsyncDirectory(dir)
  } finally {
    if (tmpExists) {
      try {
        unlinkSync(tmp)
      } catch {
        // best effort: the original error matters more
      }
    }
  }
}

/** Flushes a directory entry change (create, rename, unlink) to stable storage. */
export function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/**
 * Removes temporary files that a crash during {@link writeFileAtomic} of `path` left behind
 * (they may hold secrets, e.g. a key that is later destroyed). Call it only while no other
 * writer of `path` can be running (under its lock). Returns how many files were removed.
 */
export function removeStaleTempFiles(path: string): number {
  const target = resolve(path)
  const dir = dirname(target)
  const prefix = tempPrefix(target)
  let removed = 0
  for (const name of readdirSync(dir)) {
    if (name.startsWith(prefix) && /^[0-9a-f]{12}\.tmp$/.test(name.slice(prefix.length))) {
      unlinkSync(join(dir, name))
      removed++
    }
  }
  if (removed > 0) fsyncDirectory(dir)
  return removed
}

function tempPrefix(target: string): string {
  return `.${basename(target)}.`
}
