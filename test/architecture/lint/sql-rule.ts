import ts from 'typescript'
import { declaredInPackage, eachNode, inTypePosition, lineOf, rel, resolvedSymbol, under, type Finding } from './program.js'

/** Where SQL may be written: the repositories, the dialects' capabilities, the migrations and their runner. */
export const SQL_ALLOWED_IN = ['src/store/repos/', 'src/store/dialects/', 'src/store/migrations/', 'src/store/migrate.ts'] as const

/** Query-builder entry points of kysely (every query starts with one of these). */
const QUERY_STARTS = new Set(['selectFrom', 'selectNoFrom', 'insertInto', 'replaceInto', 'updateTable', 'deleteFrom', 'mergeInto', 'with', 'withRecursive', 'schema'])
/** Database drivers: only the dialects open connections. */
const DRIVERS = new Set(['better-sqlite3', 'pg', 'pg-copy-streams'])

/**
 * Rule (a): no SQL outside `src/store/` (repositories, dialects, migrations, migrate.ts). Found by
 * the type checker, not by text: a call of a kysely query-builder entry point (`selectFrom`,
 * `insertInto`, `updateTable`, `deleteFrom`, … on any kysely executor), any use of a kysely value
 * (`sql` tagged templates, `sql.raw`, `CompiledQuery`, `new Kysely`; however imported or
 * re-exported — types are fine), and any import of a database driver.
 */
export function sqlFindings(sf: ts.SourceFile, checker: ts.TypeChecker): Finding[] {
  const file = rel(sf.fileName)
  if (SQL_ALLOWED_IN.some((p) => under(file, p))) return []
  const out: Finding[] = []
  const found = (node: ts.Node, what: string): void => void out.push({ file, line: lineOf(node), rule: 'sql-outside-store', what })
  eachNode(sf, (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const spec = node.moduleSpecifier.text
      if (DRIVERS.has(spec) && !node.importClause?.isTypeOnly) found(node, `imports the database driver ${spec}`)
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0]
      if (arg && ts.isStringLiteral(arg) && (DRIVERS.has(arg.text) || arg.text === 'kysely')) found(node, `imports ${arg.text} dynamically`)
    }
    if (ts.isIdentifier(node) && !ts.isImportSpecifier(node.parent) && !ts.isImportClause(node.parent) && !inTypePosition(node)) {
      const sym = resolvedSymbol(checker, node)
      if (sym && sym.flags & (ts.SymbolFlags.Variable | ts.SymbolFlags.Function | ts.SymbolFlags.Class) && declaredInPackage(sym, 'kysely')) found(node, `uses kysely's ${node.text}`)
    }
    if (ts.isPropertyAccessExpression(node) && QUERY_STARTS.has(node.name.text) && declaredInPackage(resolvedSymbol(checker, node.name), 'kysely')) {
      found(node.name, `runs a query (${node.name.text})`)
    }
  })
  return out
}
