import { afterAll } from 'vitest'
import { removeTempDirs } from './temp-dir.js'

/** Setup file: after each test file, its temporary directories (test/support/temp-dir.ts) are removed. */
afterAll(() => {
  removeTempDirs()
})
