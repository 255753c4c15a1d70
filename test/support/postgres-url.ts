/** Env var: superuser URL of this test run's PostgreSQL server (set by global-setup.ts, or by you). */
export const PG_URL_ENV = 'DIALWARD_TEST_PG_URL'
/** Set to 1 to skip the PostgreSQL contract tests. */
export const SKIP_PG_ENV = 'DIALWARD_SKIP_PG'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the PostgreSQL server for this run; null when PostgreSQL tests are skipped. */
    postgresUrl: string | null
  }
}

/**
 * Superuser URL of the PostgreSQL server for this test run, or null when PostgreSQL tests are skipped.
 * Use with `describe.skipIf(!url)` / `it.skipIf(!url)` so that a skip shows as skipped, never as passed;
 * get a private database per suite with createTestDatabase(url) from ./postgres.js.
 */
export function testPostgresUrl(): string | null {
  if (process.env[SKIP_PG_ENV] === '1') return null
  return process.env[PG_URL_ENV] || null
}
