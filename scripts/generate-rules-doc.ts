/**
 * Writes docs/reference/rules.md from the default rule pack.
 * Run: node --import tsx scripts/generate-rules-doc.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEFAULT_PACK } from '../src/core/rules/default-pack.js'
import { renderPackMarkdown } from '../src/core/rules/render-pack-markdown.js'

const target = fileURLToPath(new URL('../docs/reference/rules.md', import.meta.url))
mkdirSync(dirname(target), { recursive: true })
writeFileSync(target, renderPackMarkdown(DEFAULT_PACK))
process.stdout.write(`wrote ${target}\n`)
