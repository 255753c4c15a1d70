/**
 * Writes docs/reference/errors.md from the error catalogue (src/core/errors.ts).
 * Run: npm run docs:errors
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ERROR_CATALOGUE, RESERVED_ERROR_CODES } from '../src/core/errors.js'
import { renderErrorsMarkdown } from '../src/core/errors-markdown.js'

const target = fileURLToPath(new URL('../docs/reference/errors.md', import.meta.url))
mkdirSync(dirname(target), { recursive: true })
writeFileSync(target, renderErrorsMarkdown(ERROR_CATALOGUE, RESERVED_ERROR_CODES))
process.stdout.write(`wrote ${target}\n`)
