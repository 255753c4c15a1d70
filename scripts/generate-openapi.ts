/**
 * Writes docs/reference/openapi.json from the server's route schemas.
 * Run: npm run docs:openapi
 */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { openApiDocument, renderOpenApi } from '../src/server/openapi-document.js'

const target = fileURLToPath(new URL('../docs/reference/openapi.json', import.meta.url))
writeFileSync(target, renderOpenApi(await openApiDocument()))
process.stdout.write(`wrote ${target}\n`)
