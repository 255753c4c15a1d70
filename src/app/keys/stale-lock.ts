import { readFileSync, unlinkSync } from 'node:fs'

/**
 * Removes the keyring's lock file (`<keyring>.lock`) when the process that wrote it is gone (a
 * rotation killed mid-write). A lock held by a running process is left alone: the keyring then
 * reports it (`KEYRING_LOCKED`).
 */
export function removeStaleLock(lockPath: string): void {
  let pid: number
  try {
    pid = Number(readFileSync(lockPath, 'utf8').trim())
  } catch {
    return
  }
  if (Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid) {
    try {
      process.kill(pid, 0)
      return // still running
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EPERM') return
    }
  }
  try {
    unlinkSync(lockPath)
  } catch {
    // gone already
  }
}
