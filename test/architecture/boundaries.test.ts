import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LEGACY_ALLOWED } from './legacy-allowed.js'
import { ROOT, rel, sourceProgram, type Finding, type RuleName } from './lint/program.js'
import { sqlFindings } from './lint/sql-rule.js'
import { engineFindings } from './lint/engine-rule.js'
import { auditAppendSymbols, auditFindings } from './lint/audit-rule.js'
import { cycleFiles, cycleFindings, importGraph } from './lint/import-cycles.js'

const FIXTURES = ['breaks-rules.ts', 'keeps-rules.ts'].map((f) => join(ROOT, 'test/architecture/fixtures', f))
const p = sourceProgram(FIXTURES)
const appendSymbols = auditAppendSymbols(p)
const fileFindings = (path: string): Finding[] => {
  const sf = p.program.getSourceFile(path) ?? p.source(path)
  return [...sqlFindings(sf, p.checker), ...engineFindings(sf, p.checker), ...auditFindings(sf, p, appendSymbols)]
}
const findings: Finding[] = [...p.sources.flatMap((sf) => fileFindings(sf.fileName)), ...cycleFindings(importGraph(p))]

/** A finding is tolerated only when its file (for a cycle: a file on the circle) is listed as legacy. */
const tolerated = (f: Finding): boolean => (f.rule === 'import-cycle' ? cycleFiles(f) : [f.file]).some((x) => LEGACY_ALLOWED.includes(x))
const show = (f: Finding): string => `${f.file}:${f.line} ${f.what}`

const RULES: ReadonlyArray<readonly [RuleName, string]> = [
  ['sql-outside-store', 'no SQL outside src/store (repos, dialects, migrations, migrate.ts)'],
  ['engine-test', 'no engine test outside src/store/dialects and src/store/store.ts'],
  ['audit-append', 'audit entries are appended only by src/app/unit-of-work.ts'],
  ['import-cycle', 'no import cycles within src/'],
]

/**
 * The architecture rules of ADR 0007 as lints over the type-checked sources. Files still being
 * converted are listed in LEGACY_ALLOWED (which must shrink to empty); any other file that breaks
 * a rule fails here, naming the file, line and what it does.
 */
describe('architecture boundaries', () => {
  it('reads the production sources', () => {
    expect(p.sources.length).toBeGreaterThan(150)
  })

  it.each(RULES)('%s: %s', (rule) => {
    expect(findings.filter((f) => f.rule === rule && !tolerated(f)).map(show)).toEqual([])
  })

  it('LEGACY_ALLOWED lists only existing files that still break a rule, once each, sorted (it must shrink to empty)', () => {
    const breaking = new Set(findings.flatMap((f) => (f.rule === 'import-cycle' ? cycleFiles(f) : [f.file])))
    expect(LEGACY_ALLOWED.filter((f) => !p.sources.some((sf) => rel(sf.fileName) === f)), 'listed files that no longer exist').toEqual([])
    expect(LEGACY_ALLOWED.filter((f) => !breaking.has(f)), 'listed files that break no rule any more: remove them').toEqual([])
    expect([...LEGACY_ALLOWED].sort()).toEqual([...new Set(LEGACY_ALLOWED)])
  })

  describe('the rules find what they look for', () => {
    /** The `// breaks: <rule>` markers of a fixture, as file:line rule. */
    const expected = (path: string): string[] =>
      readFileSync(path, 'utf8')
        .split('\n')
        .flatMap((line, i) => [...line.matchAll(/breaks: ([a-z-]+)/g)].map((m) => `${i + 1} ${m[1]}`))

    it('flags every marked line of a fixture that breaks each rule, and nothing else', () => {
      const got = fileFindings(FIXTURES[0]!).map((f) => `${f.line} ${f.rule}`)
      expect(got.sort()).toEqual(expected(FIXTURES[0]!).sort())
      expect(new Set(got.map((g) => g.split(' ')[1]))).toEqual(new Set(['sql-outside-store', 'engine-test', 'audit-append']))
    })

    it('does not flag near misses (type imports, other kinds, other appends, printing an engine name)', () => {
      expect(fileFindings(FIXTURES[1]!).map(show)).toEqual([])
    })

    it('finds an import cycle and names every file on it', () => {
      const edge = (to: string): { to: string; line: number } => ({ to, line: 1 })
      const graph = new Map([
        ['a.ts', [edge('b.ts')]],
        ['b.ts', [edge('c.ts'), edge('d.ts')]],
        ['c.ts', [edge('a.ts')]],
        ['d.ts', []],
      ])
      expect(cycleFindings(graph).map((f) => f.what)).toEqual(['import cycle: a.ts -> b.ts -> c.ts -> a.ts'])
      graph.set('c.ts', [])
      expect(cycleFindings(graph)).toEqual([])
    })

    it('sees the real import graph (compose.ts imports the unit of work through infrastructure.ts)', () => {
      const graph = importGraph(p)
      expect(graph.get('src/app/compose.ts')?.map((e) => e.to)).toContain('src/app/infrastructure.ts')
      expect(graph.get('src/app/infrastructure.ts')?.map((e) => e.to)).toContain('src/app/unit-of-work.ts')
    })
  })
})
