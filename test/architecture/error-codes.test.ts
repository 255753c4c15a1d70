import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ERROR_CATALOGUE, RESERVED_ERROR_CODES, type ErrorCode, type ErrorKind } from '../../src/core/errors.js'
import { ROOT, productionFiles, rel } from './lint/program.js'

const CATALOGUE_FILE = 'src/core/errors.ts'
const codes = Object.keys(ERROR_CATALOGUE) as ErrorCode[]

/** Source text without comments, so a JSDoc that mentions a code does not count as using it. */
const code = (text: string): string => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1')
const sources = productionFiles(join(ROOT, 'src')).map((f) => ({ file: rel(f), text: code(readFileSync(f, 'utf8')) }))
const catalogueText = sources.find((s) => s.file === CATALOGUE_FILE)!.text
const elsewhere = sources.filter((s) => s.file !== CATALOGUE_FILE)

/** The catalogue's own constructors (`invalidInput` → `INVALID_INPUT`): calling one uses its code. */
const helpers = new Map<ErrorCode, string>([...catalogueText.matchAll(/export function (\w+)\([^)]*\)[^{]*\{\s*return new DialwardError\('([A-Z_]+)'/g)].map((m) => [m[2] as ErrorCode, m[1]!]))

/** The files that use a code: name it as a string literal, or call the catalogue's constructor of it. */
function usersOf(c: ErrorCode): string[] {
  const literal = new RegExp(`['"\`]${c}['"\`]`)
  const helper = helpers.get(c)
  const call = helper === undefined ? null : new RegExp(`\\b${helper}\\(`)
  return elsewhere.filter((s) => literal.test(s.text) || (call !== null && call.test(s.text))).map((s) => s.file)
}

const EXIT_OF_KIND: Readonly<Record<ErrorKind, number>> = { usage: 2, 'not-found': 2, conflict: 2, unauthenticated: 2, forbidden: 2, limited: 2, integrity: 3, unavailable: 1, internal: 1 }

/**
 * The error catalogue is the whole truth about errors: every code in it is used by the sources or
 * documented as reserved (RESERVED_ERROR_CODES, shown in docs/reference/errors.md), a reserved code
 * is not used (else the reference would say it is never raised), and a code's exit code follows
 * from its kind. (A code missing from the catalogue cannot be thrown: `DialwardError` takes an
 * `ErrorCode`, so the type check refuses it.)
 */
describe('the error catalogue', () => {
  it('finds the constructors of the catalogue', () => {
    expect(helpers.get('INVALID_INPUT')).toBe('invalidInput')
    expect(helpers.get('NOT_FOUND')).toBe('notFound')
  })

  it('every code is used somewhere in src/ or documented as reserved', () => {
    expect(codes.filter((c) => usersOf(c).length === 0 && RESERVED_ERROR_CODES[c] === undefined)).toEqual([])
  })

  it('no reserved code is used (remove it from RESERVED_ERROR_CODES once it is raised)', () => {
    const used = codes.filter((c) => RESERVED_ERROR_CODES[c] !== undefined).map((c) => [c, usersOf(c)] as const)
    expect(used.filter(([, users]) => users.length > 0)).toEqual([])
  })

  it('every exit code follows from the kind', () => {
    expect(codes.filter((c) => ERROR_CATALOGUE[c].exit !== EXIT_OF_KIND[ERROR_CATALOGUE[c].kind])).toEqual([])
  })

  it('sees a use where there is one', () => {
    expect(usersOf('KEY_UNAVAILABLE')).toContain('src/store/repos/data-keys.ts')
    expect(usersOf('INVALID_INPUT')).toContain('src/app/input.ts')
  })
})
