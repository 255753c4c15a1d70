import { readdirSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../..', import.meta.url))

/** One place where a source file breaks an architecture rule. */
export interface Finding {
  /** Repository-relative path with `/` separators (`src/app/x.ts`). */
  readonly file: string
  readonly line: number
  readonly rule: RuleName
  readonly what: string
}

/** The file-level architecture rules (see boundaries.test.ts). */
export type RuleName = 'sql-outside-store' | 'engine-test' | 'audit-append' | 'import-cycle'

/** A type-checked view of the production sources (`src/**\/*.ts` without tests) and of extra files (fixtures). */
export interface SourceProgram {
  readonly program: ts.Program
  readonly checker: ts.TypeChecker
  /** The production sources, in path order. */
  readonly sources: readonly ts.SourceFile[]
  source(path: string): ts.SourceFile
}

/** Repository-relative path of a file, `/`-separated. */
export function rel(fileName: string): string {
  return relative(ROOT, fileName).split(sep).join('/')
}

/** Production TypeScript files under `dir` (tests and declaration files excluded). */
export function productionFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name)
      if (statSync(p).isDirectory()) return productionFiles(p)
      return p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.endsWith('.d.ts') ? [p] : []
    })
}

const programs = new Map<string, SourceProgram>()

/** Builds (once per worker and file set) a program over `src/` and `extra` files, with the project's compiler options. */
export function sourceProgram(extra: readonly string[] = []): SourceProgram {
  const key = extra.join('\n')
  const cached = programs.get(key)
  if (cached) return cached
  const configPath = join(ROOT, 'tsconfig.json')
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')) } })
  if (!parsed) throw new Error('cannot read tsconfig.json')
  const src = productionFiles(join(ROOT, 'src'))
  const program = ts.createProgram([...src, ...extra], { ...parsed.options, noEmit: true })
  const checker = program.getTypeChecker()
  const source = (path: string): ts.SourceFile => {
    const sf = program.getSourceFile(join(ROOT, path))
    if (!sf) throw new Error(`${path} is not part of the program`)
    return sf
  }
  const result: SourceProgram = { program, checker, sources: src.map((f) => program.getSourceFile(f)!), source }
  programs.set(key, result)
  return result
}

/** 1-based line of a node. */
export function lineOf(node: ts.Node): number {
  const sf = node.getSourceFile()
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1
}

/** Calls `visit` on every node of a file, depth first. */
export function eachNode(sf: ts.SourceFile, visit: (node: ts.Node) => void): void {
  const walk = (node: ts.Node): void => {
    visit(node)
    ts.forEachChild(node, walk)
  }
  walk(sf)
}

/** The symbol a name refers to, through import aliases. */
export function resolvedSymbol(checker: ts.TypeChecker, node: ts.Node): ts.Symbol | undefined {
  const sym = checker.getSymbolAtLocation(node)
  if (sym && sym.flags & ts.SymbolFlags.Alias) return checker.getAliasedSymbol(sym)
  return sym
}

/** Whether a symbol is declared in an npm package (`node_modules/<name>/`). */
export function declaredInPackage(sym: ts.Symbol | undefined, pkg: string): boolean {
  return (sym?.declarations ?? []).some((d) => d.getSourceFile().fileName.includes(`/node_modules/${pkg}/`))
}

/** Whether `file` (repository-relative) is `prefix` or lies under it when `prefix` ends with `/`. */
export function under(file: string, prefix: string): boolean {
  return prefix.endsWith('/') ? file.startsWith(prefix) : file === prefix
}

/** Whether an identifier stands in a type (`Kysely<Database>`, `typeof x` in a type), not in an expression. */
export function inTypePosition(node: ts.Node): boolean {
  for (let n = node.parent; n && !ts.isStatement(n) && !ts.isSourceFile(n); n = n.parent) {
    if (ts.isTypeNode(n) || ts.isExpressionWithTypeArguments(n) || ts.isHeritageClause(n)) return true
    if (ts.isExpression(n) && !ts.isIdentifier(n) && !ts.isQualifiedName(n)) return false
  }
  return false
}
