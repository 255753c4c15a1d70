import type { Command } from 'commander'
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { invalidInput } from '../../core/errors.js'
import { loadConfig } from '../../app/config.js'
import { compose } from '../../app/compose.js'
import { requestContext } from '../../app/context.js'
import { seedDemo, type DemoSummary } from '../../app/demo/demo-data.js'
import { signDueCheckpoint } from '../../jobs/checkpoint-signer.js'
import type { RunningServer } from '../../server/serve.js'
import { flagsOf } from '../session.js'
import { loadServer } from '../load-server.js'

/** The file that marks a directory as made by `dialward demo` (only such a directory is reused or replaced). */
const MARKER = 'demo.json'

/**
 * `dialward demo [--port N] [--host H] [--fresh]` (what `npm start` runs): the dashboard and the API
 * on the embedded SQLite default over a demo data set — made on first start in `./dialward-demo`
 * (or `--data DIR`), reused afterwards, made anew with `--fresh` — and prints the dashboard's URL
 * and a new demo admin key (the demo keys of earlier starts are revoked). `DIALWARD_DATA` and
 * `DIALWARD_DATABASE_URL` are ignored: the demo never writes into a real installation, and a
 * directory not made by the demo is refused.
 */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('serve the dashboard over a demo data set (./dialward-demo, SQLite) and print a demo admin key')
    .option('--port <n>', 'TCP port (default 8080, another free one when it is taken)')
    .option('--host <h>', 'address to listen on (default 127.0.0.1)', '127.0.0.1')
    .option('--fresh', 'remove the demo data directory and make a new one')
    .action(async (f: { port?: string; host: string; fresh?: boolean }, cmd: Command) => {
      if (f.port !== undefined && (!/^\d{1,5}$/.test(f.port) || Number(f.port) > 65_535)) throw invalidInput('port', 'must be a TCP port from 0 to 65535')
      const dataDir = resolve(flagsOf(cmd).data ?? 'dialward-demo')
      const env: NodeJS.ProcessEnv = { ...process.env, DIALWARD_LOG_LEVEL: process.env['DIALWARD_LOG_LEVEL'] ?? 'warn' }
      delete env['DIALWARD_DATA']
      delete env['DIALWARD_DATABASE_URL']
      delete env['DIALWARD_KEYRING']
      const config = loadConfig({ data: dataDir }, env)
      const marker = join(dataDir, MARKER)
      const exists = existsSync(dataDir) && readdirSync(dataDir).length > 0
      if (exists && !existsSync(marker)) throw invalidInput('data', `${dataDir} is not a demo data directory (it has no ${MARKER}): give --data with a new directory`)
      if (exists && f.fresh) rmSync(dataDir, { recursive: true, force: true })
      const say = (line = ''): boolean => process.stdout.write(`${line}\n`)
      if (!exists || f.fresh) {
        say(`Making the demo data set in ${dataDir} …`)
        const started = Date.now()
        const services = await compose(config, 'create')
        let summary: DemoSummary
        try {
          const ctx = requestContext('demo:seed', 'admin')
          summary = await seedDemo(services, ctx, services.infra.clock())
          await signDueCheckpoint(services.infra, services.infra.clock(), () => undefined)
        } finally {
          await services.close()
        }
        writeFileSync(marker, `${JSON.stringify({ madeAt: new Date(started).toISOString(), ...summary }, null, 2)}\n`)
        say(`  ${summary.campaigns} campaigns, ${summary.consents} consents, ${summary.dncEntries} do-not-call requests, ${summary.calls} calls, ${summary.decisions} decisions (${((Date.now() - started) / 1000).toFixed(1)} s)`)
      } else {
        const made = (JSON.parse(readFileSync(marker, 'utf8')) as { madeAt?: string }).madeAt ?? 'earlier'
        say(`Reusing the demo data set in ${dataDir} (made ${made}; \`npm start -- --fresh\` makes a new one).`)
      }
      const server = await listen(config, f.host, f.port)
      const ctx = requestContext('demo:start', 'admin')
      for (const k of await server.services.apiKeys.list()) if (k.name.startsWith('demo admin') && k.state === 'active') await server.services.apiKeys.revoke(ctx, k.id)
      const key = await server.services.apiKeys.create(ctx, { name: `demo admin ${new Date().toISOString().slice(0, 16)}Z`, role: 'admin', expiresAt: null })
      say()
      say('Dialward demo is running (embedded SQLite).')
      say()
      say(`  Dashboard:       ${server.url}/`)
      say(`  Demo admin key:  ${key.key}`)
      say('                   (shown once: paste it on the sign-in page; a new one is made at every start)')
      say()
      say('  Look up +13052000002 (consent revoked by SMS "STOP") or +13052000003 (on the national registry).')
      say(`  API: ${server.url}/docs    Stop: Ctrl-C`)
      await untilSignal(server)
    })
}

/** Listens on the port asked for, or on 8080 — and on a free port when 8080 is taken. */
async function listen(config: ReturnType<typeof loadConfig>, host: string, port: string | undefined): Promise<RunningServer> {
  const { startServer } = await loadServer()
  try {
    return await startServer(config, { host, port: port === undefined ? 8080 : Number(port) })
  } catch (err) {
    if (port !== undefined || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err
    process.stdout.write('Port 8080 is taken: listening on a free port instead.\n')
    return startServer(config, { host, port: 0 })
  }
}

/** Runs until SIGTERM or SIGINT, then drains and closes the server. */
function untilSignal(server: RunningServer): Promise<void> {
  return new Promise<void>((resolveStop) => {
    const stop = (): void => {
      process.off('SIGTERM', stop)
      process.off('SIGINT', stop)
      void server.close().then(resolveStop, resolveStop)
    }
    process.on('SIGTERM', stop)
    process.on('SIGINT', stop)
  })
}
