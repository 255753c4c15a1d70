import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const CORE = join(ROOT, 'src/core')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) return sourceFiles(p)
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : []
  })
}

/** Strips comments so a JSDoc that mentions `Date.now()` does not count. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1')
}

const IMPORT = /\bfrom\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\bimport\s+['"]([^'"]+)['"]/g
const ALLOWED_PACKAGES = new Set(['libphonenumber-js', 'libphonenumber-js/max', 'libphonenumber-js/min', 'date-holidays'])

/**
 * The architecture rule of DESIGN.md, as a lint: src/core is pure. It imports only other core
 * files and a few pure libraries — no node: modules, no outer layer — and never reads the clock
 * (`Date.now()`, `new Date()` without an argument) or the environment (`process.env`).
 */
describe('src/core stays pure', () => {
  const files = sourceFiles(CORE)

  it('finds the core sources', () => {
    expect(files.length).toBeGreaterThan(30)
  })

  it.each(files.map((f) => [relative(ROOT, f), f]))('%s imports only core and pure libraries', (_name, file) => {
    const text = code(readFileSync(file, 'utf8'))
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3]!
      if (spec.startsWith('.')) {
        const target = join(file, '..', spec)
        expect(relative(CORE, target).startsWith('..'), `${spec} leaves src/core`).toBe(false)
      } else {
        expect(ALLOWED_PACKAGES.has(spec), `${spec} is not an allowed pure package`).toBe(true)
      }
    }
  })

  it.each(files.map((f) => [relative(ROOT, f), f]))('%s reads no clock and no environment', (_name, file) => {
    const text = code(readFileSync(file, 'utf8'))
    expect(text).not.toMatch(/Date\.now\s*\(/)
    expect(text).not.toMatch(/new Date\(\s*\)/)
    expect(text).not.toMatch(/process\.(env|hrtime|argv)/)
    expect(text).not.toMatch(/performance\.now/)
  })
})
