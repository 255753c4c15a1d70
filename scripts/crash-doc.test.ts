import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import { renderCrashDoc } from './crash-doc-markdown.js'

it('docs/reference/crash-safety.md lists the crash-point catalogue as it is (npm run docs:crash)', () => {
  expect(readFileSync(new URL('../docs/reference/crash-safety.md', import.meta.url), 'utf8')).toBe(renderCrashDoc())
})
