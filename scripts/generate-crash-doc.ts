/**
 * Writes docs/reference/crash-safety.md from the crash-point catalogue (src/app/crash-points.ts).
 * Run: npm run docs:crash
 */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { renderCrashDoc } from './crash-doc-markdown.js'

const target = fileURLToPath(new URL('../docs/reference/crash-safety.md', import.meta.url))
writeFileSync(target, renderCrashDoc())
process.stdout.write(`wrote ${target}\n`)
