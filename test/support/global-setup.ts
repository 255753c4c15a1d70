import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestProject } from 'vitest/node'
import { startThrowawayPostgres } from './postgres.js'
import { PG_URL_ENV, SKIP_PG_ENV } from './postgres-url.js'
import { openRunTemp } from './run-temp.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

/**
 * 1. Builds dist/ once so that CLI tests run the same JavaScript that `bin/dialward` runs, and the
 *    dashboard (dist/web, `npm run build:web`) when web/ changed since it was last built.
 *    Set DIALWARD_SKIP_BUILD=1 to skip both when running only pure unit tests.
 * 2. Makes one PostgreSQL server available to every test worker (`inject('postgresUrl')` and
 *    env DIALWARD_TEST_PG_URL): the server in DIALWARD_TEST_PG_URL if set, otherwise a throw-away
 *    cluster started here and stopped by the returned teardown. DIALWARD_SKIP_PG=1 skips PostgreSQL tests;
 *    DIALWARD_REQUIRE_PG=1 (set by .ci/run) makes missing PostgreSQL binaries an error instead of a skip.
 * 3. Gives the run its own temporary directory (TMPDIR, see run-temp.ts) and fails the run when
 *    test directories are left in it at the end.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  build()
  const stopPostgres = await providePostgres(project)
  // After the cluster is started: as root its directory must be reachable by the postgres user.
  const runTemp = openRunTemp()
  return async () => {
    try {
      await stopPostgres?.()
    } finally {
      try {
        runTemp.close()
      } catch (err) {
        // vitest reports an error thrown here but still exits 0: fail the run explicitly.
        console.error(`\n[dialward] ${(err as Error).message}\n`)
        process.exitCode = 1
      }
    }
  }
}

/** Provides the PostgreSQL URL to the workers; returns how to stop the cluster when one was started here. */
async function providePostgres(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (process.env[SKIP_PG_ENV] === '1') {
    delete process.env[PG_URL_ENV]
    warn(`${SKIP_PG_ENV}=1: PostgreSQL contract tests are SKIPPED`)
    project.provide('postgresUrl', null)
    return undefined
  }

  const given = process.env[PG_URL_ENV]
  if (given) {
    project.provide('postgresUrl', given)
    return undefined
  }

  const started = Date.now()
  const cluster = await startThrowawayPostgres()
  if (!cluster) {
    if (process.env['DIALWARD_REQUIRE_PG'] === '1') {
      throw new Error('PostgreSQL binaries (initdb, pg_ctl) not found and DIALWARD_REQUIRE_PG=1')
    }
    warn('PostgreSQL binaries not found: PostgreSQL contract tests are SKIPPED')
    project.provide('postgresUrl', null)
    return undefined
  }
  console.log(`[dialward] throw-away PostgreSQL at ${cluster.url} (started in ${Date.now() - started} ms)`)
  process.env[PG_URL_ENV] = cluster.url
  project.provide('postgresUrl', cluster.url)

  return async () => {
    delete process.env[PG_URL_ENV]
    const stopping = Date.now()
    await cluster.stop()
    console.log(`[dialward] throw-away PostgreSQL stopped in ${Date.now() - stopping} ms`)
  }
}

function build(): void {
  if (process.env['DIALWARD_SKIP_BUILD'] === '1') return
  buildWeb()
  try {
    execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.build.json`], {
      cwd: root,
      stdio: 'inherit',
    })
  } catch {
    // Type errors are reported by the typecheck step; the emitted JavaScript is still usable.
    if (!existsSync(`${root}dist/cli/main.js`)) throw new Error('build failed: dist/cli/main.js was not emitted')
  }
}

/** Builds the dashboard with vite unless dist/web/index.html is newer than every file under web/. */
function buildWeb(): void {
  const built = `${root}dist/web/index.html`
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((t, e) => Math.max(t, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs), 0)
  if (existsSync(built) && statSync(built).mtimeMs > Math.max(newest(`${root}web`), statSync(`${root}package-lock.json`).mtimeMs)) return
  execFileSync(process.execPath, [`${root}node_modules/vite/bin/vite.js`, 'build', '--config', `${root}web/vite.config.ts`], { cwd: root, stdio: 'inherit' })
}

function warn(message: string): void {
  const bar = '!'.repeat(message.length)
  console.warn(`\n${bar}\n${message}\n${bar}\n`)
}
