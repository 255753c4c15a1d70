import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Api } from '../api.js'

/** Where `npm run build:web` puts the dashboard (the same folder from `src/` under tsx and from `dist/`). */
export const WEB_DIR = fileURLToPath(new URL('../../../dist/web/', import.meta.url))

/** The dashboard's files: the page and its two assets (the build names them so; see web/vite.config.ts). */
export const DASHBOARD_FILES = [
  { url: '/', file: 'index.html', type: 'text/html; charset=utf-8' },
  { url: '/assets/app.js', file: 'assets/app.js', type: 'text/javascript; charset=utf-8' },
  { url: '/assets/app.css', file: 'assets/app.css', type: 'text/css; charset=utf-8' },
] as const

/**
 * The page's policy: scripts and connections only from this server (the API), no framing, no
 * inline script. Inline styles are allowed (the chart library positions its tooltips with them).
 */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Dialward</title></head><body>
<main><h1>Dialward</h1><p>The dashboard is not built. Run <code>npm run build:web</code> (or <code>npm install</code>, which builds it) and restart the server.
The API is served as usual: <a href="/docs">/docs</a>.</p></main></body></html>
`

/**
 * `GET /` and its assets: the compliance dashboard, static files read once at start. Answers carry
 * an ETag (revalidated on every load: the names are fixed), `nosniff`, and on the page a strict
 * content security policy. Public: the files hold no data; every call they make needs an API key.
 */
export function dashboardRoutes(app: Api, dir: string = WEB_DIR): void {
  for (const f of DASHBOARD_FILES) {
    let body: Buffer | null = null
    try {
      body = readFileSync(`${dir}${f.file}`)
    } catch {
      body = f.file === 'index.html' ? Buffer.from(NOT_BUILT) : null
    }
    const etag = body === null ? null : `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`
    app.get(f.url, { schema: { summary: f.file === 'index.html' ? 'The compliance dashboard (sign in with an API key)' : `The dashboard's ${f.file}`, tags: ['dashboard'], produces: [f.type.split(';')[0]!] } }, async (req, reply) => {
      if (body === null) return reply.status(404).send({ error: { code: 'NOT_FOUND', message: `url: ${f.url} is not built (npm run build:web)` } } as never)
      void reply
        .header('content-type', f.type)
        .header('cache-control', 'no-cache')
        .header('etag', etag!)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
      if (f.file === 'index.html') void reply.header('content-security-policy', CSP).header('x-frame-options', 'DENY')
      if (req.headers['if-none-match'] === etag) return reply.status(304).send(undefined as never)
      return reply.send(body as never)
    })
  }
}
