import { availableParallelism } from 'node:os'
import { configDefaults, defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts'],
    // the full crash enumeration runs with `npm run test:crash` (its CI subset is test/cli/crash-subset.test.ts)
    exclude: [...configDefaults.exclude, 'test/crash/**'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/fast-check-seed.ts', 'test/support/temp-cleanup.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Most test time is spent in child processes (the CLI, servers, PostgreSQL, Chromium), not in
    // the runner: one test file per core instead of vitest's default of one fewer.
    maxWorkers: availableParallelism(),
  },
})
