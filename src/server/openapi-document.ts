import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../app/config.js'
import { compose } from '../app/compose.js'
import { ACCESS } from './access.js'
import { buildServer } from './build-server.js'

/**
 * The OpenAPI 3.1 document of the server, generated from the routes' JSON schemas (the one
 * source for validation, serialization and documentation) over a throw-away installation, with
 * each operation's roles (`x-dialward-roles`) from the role table. Deterministic: the committed
 * `docs/reference/openapi.json` is checked against it.
 */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'dialward-openapi-'))
  try {
    const services = await compose(loadConfig({ data: join(dir, 'data') }, { DIALWARD_DATABASE_URL: '' }), 'create')
    try {
      const { app } = await buildServer(services, { trustedProxies: [], sms: { secret: null, publicUrl: null }, logLevel: 'silent', authFailuresPerMinute: 20 })
      const doc = JSON.parse(JSON.stringify(app.swagger())) as { paths: Record<string, Record<string, Record<string, unknown>>> }
      await app.close()
      for (const [path, ops] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(ops)) {
          const access = ACCESS[`${method.toUpperCase()} ${path}`]
          if (access === 'public') op['security'] = []
          op['x-dialward-roles'] = access === 'public' ? 'public' : Array.isArray(access) ? access : (access as { signed: readonly string[] }).signed
        }
      }
      return doc
    } finally {
      await services.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The document as committed: two-space JSON with a trailing newline. */
export function renderOpenApi(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`
}
