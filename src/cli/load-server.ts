/**
 * The HTTP server's module, loaded only by the commands that start one (`serve`, `demo`): fastify,
 * its plugins and the route schemas are a large part of the CLI's start-up, which every other
 * command — a `check` from a dialer script, each row of a test suite — would otherwise pay.
 */
export function loadServer(): Promise<typeof import('../server/serve.js')> {
  return import('../server/serve.js')
}
