import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** The name every test temp directory starts with (the global teardown looks for leftovers by it). */
export const TEST_DIR_PREFIX = 'dialward-test-'

const made: string[] = []

/**
 * A fresh temporary directory `dialward-test-<label>-XXXXXX`, removed after the test file's
 * tests (test/support/temp-cleanup.ts, a setup file, removes every directory made here). Remove it
 * earlier with `removeTempDir` when a test is done with it.
 */
export function tempDir(label: string): string {
  if (!/^[a-z0-9-]+$/.test(label)) throw new Error(`temp dir label must be kebab-case: ${label}`)
  const dir = mkdtempSync(join(tmpdir(), `${TEST_DIR_PREFIX}${label}-`))
  made.push(dir)
  return dir
}

/** Removes a directory made by `tempDir` (idempotent). */
export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
  const i = made.indexOf(dir)
  if (i >= 0) made.splice(i, 1)
}

/** Removes every directory this test file made with `tempDir`. */
export function removeTempDirs(): void {
  for (const dir of [...made]) removeTempDir(dir)
}
