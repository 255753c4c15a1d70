import ts from 'typescript'
import { lineOf, rel, type Finding, type SourceProgram } from './program.js'

/** One import edge between two production files. */
interface Edge {
  readonly to: string
  readonly line: number
}

/**
 * The import graph of `src/`: every `import`/`export … from` (type-only ones included: they
 * couple modules just the same) and dynamic `import()` of another production file.
 */
export function importGraph(p: SourceProgram): Map<string, Edge[]> {
  const graph = new Map<string, Edge[]>()
  const inSrc = new Set(p.sources.map((sf) => sf.fileName))
  const options = p.program.getCompilerOptions()
  for (const sf of p.sources) {
    const edges: Edge[] = []
    const add = (spec: ts.Expression, node: ts.Node): void => {
      if (!ts.isStringLiteralLike(spec)) return
      const target = ts.resolveModuleName(spec.text, sf.fileName, options, ts.sys).resolvedModule?.resolvedFileName
      if (target && inSrc.has(target)) edges.push({ to: rel(target), line: lineOf(node) })
    }
    const walk = (node: ts.Node): void => {
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) add(node.moduleSpecifier, node)
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0]) add(node.arguments[0], node)
      ts.forEachChild(node, walk)
    }
    walk(sf)
    graph.set(rel(sf.fileName), edges)
  }
  return graph
}

/**
 * Rule (e): no import cycles within `src/`. A depth-first search over the import graph; each
 * back edge closes one cycle, reported at the importing file and line with the whole circle.
 */
export function cycleFindings(graph: ReadonlyMap<string, readonly Edge[]>): Finding[] {
  const out: Finding[] = []
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const visit = (file: string): void => {
    state.set(file, 'open')
    stack.push(file)
    for (const edge of graph.get(file) ?? []) {
      const s = state.get(edge.to)
      if (s === 'open') {
        const circle = [...stack.slice(stack.indexOf(edge.to)), edge.to]
        out.push({ file, line: edge.line, rule: 'import-cycle', what: `import cycle: ${circle.join(' -> ')}` })
      } else if (s === undefined) {
        visit(edge.to)
      }
    }
    stack.pop()
    state.set(file, 'done')
  }
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file)
  return out
}

/** The files of a cycle finding (every file on the circle). */
export function cycleFiles(f: Finding): string[] {
  return f.what.replace(/^import cycle: /, '').split(' -> ')
}
