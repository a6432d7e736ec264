/**
 * TypeScript → JavaScript for one cell, on the host (Node, never inside QuickJS): types erased,
 * module syntax kept (QuickJS evaluates the cell as an ES module, so `export` names its outputs
 * and top-level `await` works), a source map to bring error positions back to the cell's source.
 * Syntax the sandbox cannot honour — imports, `export default`, re-exports — is refused here with
 * the position, rather than failing later without one.
 */
import ts from 'typescript';
import type { CellError } from './cell-result.ts';

export const CELL_FILE = 'cell.ts';
export const CELL_SCRIPT = 'cell.js';
/** Called on every `throw` so a thrown non-Error value still has a position (see prelude). */
export const THROW_HOOK = '__almThrow';

export type TranspileResult = { ok: true; js: string; sourceMap: string } | { ok: false; error: CellError };

function position(file: ts.SourceFile, at: number): { line: number; column: number } {
  const { line, character } = file.getLineAndCharacterOfPosition(at);
  return { line: line + 1, column: character + 1 };
}

/** Module syntax a cell may not use: it has no modules to import and no place for a default export. */
function refusedModuleSyntax(file: ts.SourceFile): CellError | undefined {
  for (const statement of file.statements) {
    const at = (node: ts.Node, message: string): CellError => ({ kind: 'syntax', message, ...position(file, node.getStart(file)) });
    if (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly) {
      const from = ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : '?';
      return at(statement, `cells cannot import modules ("${from}"); data and the engine are reached through the alm object`);
    }
    if (ts.isImportEqualsDeclaration(statement)) return at(statement, 'cells cannot import modules; data and the engine are reached through the alm object');
    if (ts.isExportAssignment(statement)) return at(statement, 'a cell output needs a name: write `export const name = …` instead of `export default`');
    if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && !statement.isTypeOnly) {
      return at(statement, 'cells cannot re-export from modules; export your own top-level names');
    }
    const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) : undefined;
    if (modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) {
      return at(statement, 'a cell output needs a name: write `export const name = …` instead of `export default`');
    }
  }
  return undefined;
}

/** `throw x` → `throw __almThrow(x)`: the hook records where, and returns x unchanged. */
const throwHook: ts.TransformerFactory<ts.SourceFile> = (context) => {
  const visit = (node: ts.Node): ts.Node => {
    if (ts.isThrowStatement(node)) {
      const call = ts.setTextRange(context.factory.createCallExpression(context.factory.createIdentifier(THROW_HOOK), undefined, [ts.visitNode(node.expression, visit) as ts.Expression]), node.expression);
      return ts.setTextRange(context.factory.updateThrowStatement(node, call), node);
    }
    return ts.visitEachChild(node, visit, context);
  };
  return (file) => ts.visitNode(file, visit) as ts.SourceFile;
};

export function transpileCell(source: string): TranspileResult {
  const file = ts.createSourceFile(CELL_FILE, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const parseErrors = (file as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  const output = ts.transpileModule(source, {
    fileName: CELL_FILE,
    reportDiagnostics: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      sourceMap: true,
      inlineSources: false,
      removeComments: false,
      isolatedModules: true,
      verbatimModuleSyntax: false,
    },
    transformers: { before: [throwHook] },
  });
  const diagnostic = output.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error) ?? parseErrors[0];
  if (diagnostic) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    return { ok: false, error: { kind: 'syntax', message, ...(diagnostic.start !== undefined ? position(file, diagnostic.start) : {}) } };
  }
  const refused = refusedModuleSyntax(file);
  if (refused) return { ok: false, error: refused };
  if (output.sourceMapText === undefined) throw new Error('TypeScript produced no source map for the cell');
  // the `//# sourceMappingURL` comment names a file that does not exist; the map travels beside the code
  const js = output.outputText.replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
  return { ok: true, js, sourceMap: output.sourceMapText };
}
