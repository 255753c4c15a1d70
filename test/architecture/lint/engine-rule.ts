import ts from 'typescript'
import { eachNode, lineOf, rel, under, type Finding } from './program.js'

/**
 * Where the engine may be asked about: the dialects (they are the engines) and `store/store.ts`,
 * which opens the engine a configured target names. `app/config.ts` only parses the database URL
 * into a target and compares nothing, so it needs no exception.
 */
export const ENGINE_TESTS_ALLOWED_IN = ['src/store/dialects/', 'src/store/store.ts'] as const

const ENGINES = new Set(['sqlite', 'postgres', 'postgresql'])
const EQUALITY = new Set([ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken])

/**
 * Rule (b): nothing outside the dialects asks which engine it runs on. Found by the type checker:
 * an equality comparison, a `switch` or an element access (`{ sqlite: …, postgres: … }[x]`) whose
 * operand is an engine name — the literal `'sqlite'`/`'postgres'`, or any expression whose type
 * includes one (`dialect.name`, `database.kind`, a `DialectName` variable). Printing an engine's
 * name (`init` reports it) is not a test and is not flagged.
 */
export function engineFindings(sf: ts.SourceFile, checker: ts.TypeChecker): Finding[] {
  const file = rel(sf.fileName)
  if (ENGINE_TESTS_ALLOWED_IN.some((p) => under(file, p))) return []
  const out: Finding[] = []
  const found = (node: ts.Node, what: string): void => void out.push({ file, line: lineOf(node), rule: 'engine-test', what })
  const isEngine = (e: ts.Expression): boolean => {
    if ((ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) && ENGINES.has(e.text)) return true
    return typeNamesEngine(checker.getTypeAtLocation(e))
  }
  eachNode(sf, (node) => {
    if (ts.isBinaryExpression(node) && EQUALITY.has(node.operatorToken.kind) && (isEngine(node.left) || isEngine(node.right))) {
      found(node, `compares with an engine name: ${node.getText(sf)}`)
    }
    if (ts.isSwitchStatement(node)) {
      const byCase = node.caseBlock.clauses.some((c) => ts.isCaseClause(c) && isEngine(c.expression))
      if (byCase || isEngine(node.expression)) found(node, `switches on the engine: switch (${node.expression.getText(sf)})`)
    }
    if (ts.isElementAccessExpression(node) && isEngine(node.argumentExpression)) found(node, `looks up by engine name: ${node.getText(sf)}`)
  })
  return out
}

/** Whether a type is, or is a union including, a string literal naming an engine. */
function typeNamesEngine(type: ts.Type): boolean {
  const parts = type.isUnion() ? type.types : [type]
  return parts.some((t) => t.isStringLiteral() && ENGINES.has(t.value))
}
