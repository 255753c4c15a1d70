import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs'

/**
 * Runs `fn` while holding an exclusive lock file at `lockPath` (created with `O_EXCL`, so only
 * one process can hold it). Returns `fn`'s result and always removes the lock afterwards.
 *
 * Throws the `EEXIST` error from `open(2)` when another holder has the lock; a lock left by a
 * crashed process must be removed by an operator (it contains the holder's pid).
 */
export function withLockFile<T>(lockPath: string, fn: () => T): T {
  const fd = openSync(lockPath, 'wx', 0o600)
  try {
    try {
      writeSync(fd, `${process.pid}\n`)
    } finally {
      closeSync(fd)
    }
    return fn()
  } finally {
    unlinkSync(lockPath)
  }
}
