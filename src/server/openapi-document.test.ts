import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { openApiDocument, renderOpenApi } from './openapi-document.js'
import { ACCESS } from './access.js'

describe('docs/reference/openapi.json', () => {
  it('is the document the routes generate (regenerate: npm run docs:openapi)', async () => {
    const path = fileURLToPath(new URL('../../docs/reference/openapi.json', import.meta.url))
    expect(readFileSync(path, 'utf8')).toBe(renderOpenApi(await openApiDocument()))
  })

  it('documents every route of the role table with its roles', async () => {
    const doc = (await openApiDocument()) as { paths: Record<string, Record<string, { 'x-dialward-roles'?: unknown }>> }
    for (const [key, access] of Object.entries(ACCESS)) {
      const [method, path] = key.split(' ') as [string, string]
      const op = doc.paths[path]?.[method.toLowerCase()]
      expect(op, key).toBeDefined()
      expect(op!['x-dialward-roles'], key).toEqual(access === 'public' ? 'public' : Array.isArray(access) ? access : (access as { signed: unknown }).signed)
    }
  })
})
