import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TEST_DIR_PREFIX } from './temp-dir.js'

/** The temporary directory of one test run, and how to check and remove it at the end. */
export interface RunTemp {
  readonly dir: string
  /**
   * Removes the run's directory. Throws, naming them, when test directories (`dialward-test-*`)
   * were left behind; other leftovers are only reported.
   */
  close(): void
}

/**
 * Gives the test run its own temporary directory: `TMPDIR` points into it for every worker and
 * every CLI child (they inherit it), so leftovers are this run's alone — parallel test files and
 * other test runs on the machine cannot be confused with them — and the check runs once, after
 * the last file.
 */
export function openRunTemp(): RunTemp {
  const dir = mkdtempSync(join(tmpdir(), 'dialward-run-'))
  const previous = process.env['TMPDIR']
  process.env['TMPDIR'] = dir
  return {
    dir,
    close() {
      if (previous === undefined) delete process.env['TMPDIR']
      else process.env['TMPDIR'] = previous
      const left = readdirSync(dir).sort()
      rmSync(dir, { recursive: true, force: true })
      const tests = left.filter((name) => name.startsWith(TEST_DIR_PREFIX))
      const others = left.filter((name) => !name.startsWith(TEST_DIR_PREFIX))
      if (others.length > 0) console.warn(`[dialward] the test run left ${others.length} other temporary entries (removed): ${others.join(', ')}`)
      if (tests.length > 0) {
        throw new Error(`the test run left ${tests.length} test directories behind (a test must remove what it makes: use test/support/temp-dir.ts or Installation.dispose()): ${tests.join(', ')}`)
      }
    },
  }
}
