import { join } from 'node:path'
import ts from 'typescript'
import { ROOT, eachNode, lineOf, rel, resolvedSymbol, type Finding, type SourceProgram } from './program.js'

/** The one place that appends audit entries. */
export const AUDIT_APPEND_ALLOWED_IN = 'src/app/unit-of-work.ts'
/** The one repository that writes the `audit_log` table. */
const AUDIT_REPO = 'src/store/repos/audit-log.ts'
/** The legacy bridge (its callers hand-append entries too); absent once it is removed. */
const LEGACY_BRIDGE = 'src/app/audit/audit-trail.ts'

/** The symbols whose use appends an audit entry: `AuditLogRepo.append` and the legacy `appendAudit`. */
export function auditAppendSymbols(p: SourceProgram): ts.Symbol[] {
  const out: ts.Symbol[] = []
  const repo = p.source(AUDIT_REPO)
  for (const st of repo.statements) {
    if (ts.isClassDeclaration(st) && st.name?.text === 'AuditLogRepo') {
      for (const m of st.members) if (ts.isMethodDeclaration(m) && /^append/.test(m.name.getText(repo))) out.push(p.checker.getSymbolAtLocation(m.name)!)
    }
  }
  if (out.length < 1) throw new Error(`${AUDIT_REPO}: AuditLogRepo.append not found: update test/architecture/lint/audit-rule.ts`)
  const bridge = p.program.getSourceFile(join(ROOT, LEGACY_BRIDGE))
  if (bridge) {
    for (const st of bridge.statements) if (ts.isFunctionDeclaration(st) && st.name?.text === 'appendAudit') out.push(p.checker.getSymbolAtLocation(st.name)!)
  }
  return out
}

/**
 * Rule (c): audit entries are appended only by the unit of work. Found by the type checker: any
 * reference to `AuditLogRepo.append` (or to the legacy `appendAudit`) outside
 * `src/app/unit-of-work.ts`, and any `insertInto('audit_log')` outside the audit-log repository.
 */
export function auditFindings(sf: ts.SourceFile, p: SourceProgram, targets: readonly ts.Symbol[]): Finding[] {
  const file = rel(sf.fileName)
  const out: Finding[] = []
  const found = (node: ts.Node, what: string): void => void out.push({ file, line: lineOf(node), rule: 'audit-append', what })
  eachNode(sf, (node) => {
    if (file !== AUDIT_APPEND_ALLOWED_IN && file !== AUDIT_REPO && ts.isIdentifier(node) && !isDeclarationName(node)) {
      const sym = resolvedSymbol(p.checker, node)
      if (sym && targets.includes(sym)) found(node, `appends an audit entry by hand (${node.text})`)
    }
    if (file !== AUDIT_REPO && ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'insertInto') {
      const table = node.arguments[0]
      if (table && ts.isStringLiteralLike(table) && table.text === 'audit_log') found(node, "writes audit_log directly (insertInto('audit_log'))")
    }
  })
  return out
}

function isDeclarationName(node: ts.Identifier): boolean {
  const parent = node.parent
  return (ts.isMethodDeclaration(parent) || ts.isFunctionDeclaration(parent) || ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent)) && parent.name === node
}
