import type { Command } from 'commander'
import { invalidInput } from '../../core/errors.js'
import { loadConfig } from '../../app/config.js'
import { flagsOf } from '../session.js'
import { loadServer } from '../load-server.js'

/** `dialward serve [--port N] [--host H]`: the HTTP API and dashboard, until SIGTERM or SIGINT (then it drains and exits 0). */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP API (POST /v1/check and every record route; OpenAPI at /openapi.json, docs at /docs)')
    .option('--port <n>', 'TCP port (default 8080; 0 picks a free one)', '8080')
    .option('--host <h>', 'address to listen on (default 127.0.0.1)', '127.0.0.1')
    .action(async (f: { port: string; host: string }, cmd: Command) => {
      const port = Number(f.port)
      if (!/^\d{1,5}$/.test(f.port) || port > 65_535) throw invalidInput('port', 'must be a TCP port from 0 to 65535')
      const config = loadConfig({ data: flagsOf(cmd).data }, process.env)
      const { startServer } = await loadServer()
      const server = await startServer(config, { host: f.host, port })
      process.stderr.write(`dialward: serving ${config.dataDir} (${server.services.infra.store.dialect.name}) at ${server.url}\n`)
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGTERM', stop)
          process.off('SIGINT', stop)
          void server.close().then(resolve, resolve)
        }
        process.on('SIGTERM', stop)
        process.on('SIGINT', stop)
      })
    })
}
