import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { DEFAULT_PACK } from './default-pack.js'
import { renderPackMarkdown } from './render-pack-markdown.js'

describe('docs/reference/rules.md', () => {
  it('is the rendering of the default pack (regenerate: node --import tsx scripts/generate-rules-doc.ts)', () => {
    const path = fileURLToPath(new URL('../../../docs/reference/rules.md', import.meta.url))
    expect(readFileSync(path, 'utf8')).toBe(renderPackMarkdown(DEFAULT_PACK))
  })
  it('lists every entry with its source and confidence', () => {
    const md = renderPackMarkdown(DEFAULT_PACK)
    for (const e of DEFAULT_PACK.entries) expect(md).toContain(`| ${e.id} |`)
    expect(md).toContain('| US-RI | US-RI | marketing, informational | any | Mon-Fri 09:00-18:00, Sat 10:00-17:00 | no Sunday, no public holidays (date-holidays US-RI) | — | — | RIGL 5-61-2, 5-61-3.6 | P |')
  })
})
