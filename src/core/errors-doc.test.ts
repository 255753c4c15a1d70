import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ERROR_CATALOGUE, RESERVED_ERROR_CODES, type ErrorCode } from './errors.js'
import { renderErrorsMarkdown } from './errors-markdown.js'

describe('docs/reference/errors.md', () => {
  it('is the rendering of the error catalogue (regenerate: npm run docs:errors)', () => {
    const path = fileURLToPath(new URL('../../docs/reference/errors.md', import.meta.url))
    expect(readFileSync(path, 'utf8')).toBe(renderErrorsMarkdown(ERROR_CATALOGUE, RESERVED_ERROR_CODES))
  })

  it('lists every code with its kind, exit code and HTTP status', () => {
    const md = renderErrorsMarkdown(ERROR_CATALOGUE, RESERVED_ERROR_CODES)
    for (const [code, spec] of Object.entries(ERROR_CATALOGUE)) {
      expect(md).toContain(`| \`${code}\` | ${spec.kind} | ${spec.exit} | ${spec.http} | `)
    }
    expect(md).toContain('| `INVALID_INPUT` | usage | 2 | 400 | A flag, field or row is missing or malformed; the message names it and says why. |')
    expect(md).toContain('| `AUDIT_TAMPERED` | integrity | 3 | 503 |')
    expect(md).toContain('| `KEY_UNAVAILABLE` | unavailable | 1 | 503 |')
  })

  it('marks reserved codes, and only those', () => {
    const md = renderErrorsMarkdown(ERROR_CATALOGUE, { FORBIDDEN: 'raised by the HTTP server.' })
    const line = (code: ErrorCode): string => md.split('\n').find((l) => l.startsWith(`| \`${code}\` |`))!
    expect(line('FORBIDDEN')).toMatch(/\*Reserved: not raised yet; raised by the HTTP server\.\* \|$/)
    expect(line('INVALID_INPUT')).not.toMatch(/Reserved/)
  })

  it('escapes pipes in descriptions', () => {
    const md = renderErrorsMarkdown({ ...ERROR_CATALOGUE, INTERNAL: { ...ERROR_CATALOGUE.INTERNAL, description: 'a | b' } }, {})
    expect(md).toContain('| `INTERNAL` | internal | 1 | 500 | a \\| b |')
  })
})
